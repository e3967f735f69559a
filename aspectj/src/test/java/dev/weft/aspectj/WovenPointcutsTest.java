package dev.weft.aspectj;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.WovenAnnotations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.junit.jupiter.api.Test;

/**
 * AspectJ pointcuts are static text and cannot read {@link WovenAnnotations}: these tests fail
 * when a pointcut and the list disagree, so an annotation is woven by the aspects exactly when
 * the agent and the processor take it as woven.
 */
class WovenPointcutsTest {

  private static final Pattern ANNOTATION = Pattern.compile("@(dev\\.weft\\.annotation\\.[\\w.]+)");

  @Test
  void aspectPointcut_namesExactlyTheWovenAnnotations() throws IOException {
    String source = Files.readString(Path.of("src/main/java/dev/weft/aspectj/WeftAspect.aj"));
    int start = source.indexOf("pointcut woven():");
    String pointcut = source.substring(start, source.indexOf(';', start));

    assertThat(annotationsIn(pointcut)).isEqualTo(new TreeSet<>(WovenAnnotations.canonicalNames()));
  }

  @Test
  void manyParametersPointcut_namesExactlyTheWovenAnnotations() throws Exception {
    String pointcut = WeftAspectManyParameters.class
        .getMethod("weave", ProceedingJoinPoint.class)
        .getAnnotation(Around.class)
        .value();

    assertThat(annotationsIn(pointcut)).isEqualTo(new TreeSet<>(WovenAnnotations.canonicalNames()));
  }

  private static Set<String> annotationsIn(String pointcut) {
    Set<String> names = new TreeSet<>();
    Matcher m = ANNOTATION.matcher(pointcut);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
