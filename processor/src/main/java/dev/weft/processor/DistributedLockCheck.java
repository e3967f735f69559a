package dev.weft.processor;

import dev.weft.syntax.PropertyReference;
import java.time.Duration;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The checks for {@code @DistributedLock}, as weft-core's {@code MethodPlan} reads it at the first
 * call: {@code key} is empty (one lock for the method) or a template on the parameters, without
 * {@code {result}}; {@code lease} is a positive duration (or a property reference, see {@link
 * DurationCheck}) of at least 1 ms; {@code waitTime}, {@code holdAtLeast} and {@code maxHold} are
 * empty or a duration that is zero or positive, and a {@code maxHold} other than zero is at least
 * the lease; and {@code onLocked = SKIP} needs a method that can return
 * "nothing", so not one returning a primitive. Any other return type is fine, {@code void} and
 * futures included, and the annotation combines with every other Weft annotation.
 */
final class DistributedLockCheck {

  static final String NAME = "@DistributedLock";

  /** {@code {result}} in a lock key: never, the lock is taken before the call. */
  static final TemplateCheck.Result NO_RESULT =
      TemplateCheck.Result.unavailable(
          "@DistributedLock takes the lock before the method runs; use the parameters");

  private static final Duration ONE_MILLI = Duration.ofMillis(1);

  private final TemplateCheck templates;
  private final DurationCheck durations;

  DistributedLockCheck(TemplateCheck templates, DurationCheck durations) {
    this.templates = templates;
    this.durations = durations;
  }

  /**
   * Reports every problem of one {@code @DistributedLock}; runs on methods only, after {@link
   * WovenMethod#check}.
   *
   * @param site the annotated method and its {@code @DistributedLock}, not {@code null}
   */
  void check(AnnotationSite site) {
    AnnotationMirror lock = site.annotation();

    Attributes.Text key = Attributes.string(lock, "key");
    if (key.text() != null && !key.text().isEmpty()) {
      templates.check(site, key.written(), "key", key.text(), NO_RESULT);
    }

    Duration lease = durations.check(site, "lease", false);
    if (lease != null) {
      leaseInMillis(site, lease);
    }
    durations.checkZeroAllowed(site, "waitTime");
    durations.checkZeroAllowed(site, "holdAtLeast");
    Duration maxHold = durations.checkZeroAllowed(site, "maxHold");
    if (lease != null && maxHold != null && !maxHold.isZero() && maxHold.compareTo(lease) < 0) {
      maxHoldBelowLease(site, lease);
    }

    skipOnPrimitive(site);
  }

  /** weft-core keeps a lease in Redis in milliseconds and refuses one shorter than 1 ms. */
  private static void leaseInMillis(AnnotationSite site, Duration lease) {
    if (lease.compareTo(ONE_MILLI) >= 0) {
      return;
    }
    Attributes.Text text = Attributes.string(site.annotation(), "lease");
    String written = text.text().trim();
    site.error(
        text.written(),
        site.subject("lease")
            + ": "
            + (PropertyReference.isReference(written)
                ? "the default of \"" + written + "\""
                : "\"" + written + "\"")
            + " is shorter than 1 ms, and Redis counts a lock's lease in milliseconds; use"
            + " \"1ms\" or longer, as in lease = \"30s\"");
  }

  /** A hold bounded below one lease would end before its first renewal. */
  private static void maxHoldBelowLease(AnnotationSite site, Duration lease) {
    Attributes.Text text = Attributes.string(site.annotation(), "maxHold");
    site.error(
        text.written(),
        site.subject("maxHold")
            + ": \"" + text.text().trim() + "\" is shorter than the lease (" + lease + "), so the"
            + " lock would end before its first renewal; give a maxHold of at least the lease,"
            + " or leave maxHold empty for no bound");
  }

  /** A skipped call returns null (or an empty Optional, a future of null); a primitive cannot. */
  private static void skipOnPrimitive(AnnotationSite site) {
    if (!"SKIP".equals(Attributes.constant(site.annotation(), "onLocked"))) {
      return;
    }
    TypeMirror returns = site.method().getReturnType();
    if (!returns.getKind().isPrimitive()) {
      return; // void, references, arrays, type variables: all can be skipped
    }
    String type = Describe.type(returns);
    site.error(
        Attributes.written(site.annotation(), "onLocked"),
        site.subject("onLocked")
            + ": a skipped call would have to return "
            + (returns.getKind() == TypeKind.INT ? "an " : "a ")
            + type
            + "; return a boxed type or Optional, or use onLocked = THROW");
  }
}
