package dev.weft.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.codec.JsonCodec;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class compiled without {@code -parameters} has no parameter names in its class file; the
 * runtime then reads the names weft-processor recorded, and says what to do when there are none.
 */
class ParameterNamesTest {

  @TempDir Path dir;

  private Method compileWithoutParameterNames() throws Exception {
    Path source = dir.resolve("src/com/acme/Users.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package com.acme;\n"
            + "public class Users {\n"
            + "  public String find(long id, String[] regions) { return null; }\n"
            + "}\n");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-d", classes.toString(), source.toString());
    assertThat(status).isZero();
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    Class<?> users = loader.loadClass("com.acme.Users");
    Method find = users.getMethod("find", long.class, String[].class);
    assertThat(find.getParameters()[0].isNamePresent()).isFalse();
    return find;
  }

  @Test
  void noNamesInClassFile_readsProcessorMetadata() throws Exception {
    Method find = compileWithoutParameterNames();
    Path metadata = dir.resolve("classes/META-INF/weft/parameter-names/com.acme.Users.properties");
    Files.createDirectories(metadata.getParent());
    Files.writeString(metadata, "find(long,java.lang.String[])=id,regions\n");

    KeyTemplate t = KeyTemplate.compile("user:{id}:{regions}", find, JsonCodec.shared());

    assertThat(t.render(new Object[] {7L, new String[] {"eu"}})).isEqualTo("user:7:%5B\"eu\"%5D");
    assertThat(ParameterNames.metadataKey(find)).isEqualTo("find(long,java.lang.String[])");
  }

  @Test
  void noNamesAnywhere_explainsTheThreeFixes() throws Exception {
    Method find = compileWithoutParameterNames();

    assertThatThrownBy(() -> KeyTemplate.compile("user:{id}", find, JsonCodec.shared()))
        .hasMessageContaining("-parameters")
        .hasMessageContaining("weft-processor")
        .hasMessageContaining("{0}");
    assertThat(KeyTemplate.compile("user:{0}", find, JsonCodec.shared()).render(new Object[] {7L, null}))
        .isEqualTo("user:7");
    assertThat(List.of(find.getParameterTypes())).hasSize(2);
  }
}
