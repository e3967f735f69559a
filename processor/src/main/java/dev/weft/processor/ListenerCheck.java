package dev.weft.processor;

import dev.weft.syntax.DurationSyntax;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The checks for the listener annotations, {@code @Subscribe} and {@code @StreamListener}, as
 * weft-core checks them when a listener object is registered ({@code weft.subscriber(...)}, {@code
 * weft.streamConsumers(...)}): those methods are not woven but found by reflection on the object,
 * so a mistake would otherwise surface only when the application starts.
 *
 * <ul>
 *   <li>both: an instance method with a body (a static or abstract one is never called: Weft calls
 *       the methods of the object it is given), taking the message and optionally a {@code String}
 *       (the channel, or the entry's id);
 *   <li>{@code @Subscribe}: exactly one of {@code channel} and {@code pattern};
 *   <li>{@code @StreamListener}: {@code stream} and {@code group} set, {@code minIdle} a positive
 *       duration (written out: listeners do not resolve {@code ${property}} references), {@code
 *       maxDeliveries} 0 or more, {@code batch} 1 or more.
 * </ul>
 */
final class ListenerCheck {

  static final String SUBSCRIBE = "@Subscribe";
  static final String STREAM_LISTENER = "@StreamListener";

  private final Elements elements;
  private final Types types;

  ListenerCheck(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /** @param site a method and its {@code @Subscribe}, not {@code null} */
  void checkSubscribe(AnnotationSite site) {
    if (!method(site, "the channel's name", "void onPrice(Price price, String channel)")) {
      return;
    }
    AnnotationMirror annotation = site.annotation();
    String channel = Attributes.string(annotation, "channel").text();
    String pattern = Attributes.string(annotation, "pattern").text();
    boolean hasChannel = channel != null && !channel.isEmpty();
    boolean hasPattern = pattern != null && !pattern.isEmpty();
    if (hasChannel && hasPattern) {
      site.error(Attributes.written(annotation, "pattern"),
          site.subject() + " sets both channel and pattern: set exactly one, channel for one"
              + " channel by its exact name, pattern for every channel matching a glob such as"
              + " \"orders.*\"");
    } else if (!hasChannel && !hasPattern) {
      site.error(site.subject() + " sets neither channel nor pattern: set one, such as"
          + " @Subscribe(channel = \"prices\") or @Subscribe(pattern = \"orders.*\")");
    }
  }

  /** @param site a method and its {@code @StreamListener}, not {@code null} */
  void checkStreamListener(AnnotationSite site) {
    if (!method(site, "the entry's id", "void bill(Order order, String entryId)")) {
      return;
    }
    AnnotationMirror annotation = site.annotation();
    required(site, "stream", "name the stream's key, such as stream = \"orders\"");
    required(site, "group",
        "name the consumer group that shares the work, such as group = \"billing\"");
    Attributes.Text minIdle = Attributes.string(annotation, "minIdle");
    if (minIdle.text() != null) {
      try {
        DurationSyntax.parsePositive(minIdle.text());
      } catch (IllegalArgumentException e) {
        site.error(minIdle.written(), site.subject("minIdle") + ": " + e.getMessage()
            + " (longer than the method ever takes, such as minIdle = \"30s\")");
      }
    }
    Long maxDeliveries = Attributes.number(annotation, "maxDeliveries");
    if (maxDeliveries != null && maxDeliveries < 0) {
      site.error(Attributes.written(annotation, "maxDeliveries"),
          site.subject("maxDeliveries") + ": " + maxDeliveries + " is negative; use 1 or more"
              + " (such as maxDeliveries = 5), or 0 to never dead-letter");
    }
    Long batch = Attributes.number(annotation, "batch");
    if (batch != null && batch < 1) {
      site.error(Attributes.written(annotation, "batch"),
          site.subject("batch") + ": " + batch + "; a read fetches at least 1 entry, such as"
              + " batch = 10");
    }
  }

  private static void required(AnnotationSite site, String attribute, String fix) {
    Attributes.Text text = Attributes.string(site.annotation(), attribute);
    if (text.text() != null && text.text().isEmpty()) {
      site.error(text.written(), site.subject(attribute) + " is empty: " + fix);
    }
  }

  /**
   * What both listener annotations need of their method.
   *
   * @return whether the attributes are worth checking (the element is a method)
   */
  private boolean method(AnnotationSite site, String second, String example) {
    ExecutableElement method = site.method();
    if (method.getKind() != ElementKind.METHOD) {
      site.error(site.subject() + " is on a constructor: put it on a method that takes the"
          + " message, such as " + example);
      return false;
    }
    Set<Modifier> modifiers = method.getModifiers();
    if (modifiers.contains(Modifier.STATIC)) {
      site.error(site.subject() + " is on a static method, which Weft never calls: it calls the"
          + " methods of the listener object it is given; remove static");
    } else if (modifiers.contains(Modifier.ABSTRACT)) {
      site.warning(site.subject() + " is on an abstract method: Weft calls the implementing"
          + " method of the object it is given, which must carry " + site.name() + " itself");
    }
    List<? extends VariableElement> parameters = method.getParameters();
    if (parameters.isEmpty() || parameters.size() > 2) {
      site.error(site.subject() + " has " + parameters.size() + " parameters: a " + site.name()
          + " method takes the message and, optionally, " + second + " as a String, such as "
          + example);
    } else if (parameters.size() == 2 && !isString(parameters.get(1))) {
      site.error(site.subject() + " has a second parameter of type "
          + Describe.type(parameters.get(1).asType()) + ": the second parameter receives "
          + second + " and must be a String, such as " + example);
    }
    return true;
  }

  private boolean isString(VariableElement parameter) {
    return types.isSameType(
        parameter.asType(), elements.getTypeElement("java.lang.String").asType());
  }
}
