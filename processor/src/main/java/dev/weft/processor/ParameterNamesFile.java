package dev.weft.processor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;
import javax.annotation.processing.Filer;
import javax.annotation.processing.FilerException;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/*
 * Parameter-names file format
 *
 * Resource: META-INF/weft/parameter-names/<Class.getName()>.properties, for example
 * META-INF/weft/parameter-names/com.acme.Outer$Inner.properties, in the class output.
 *
 * One entry per method of the class that carries a Weft annotation (any annotation in
 * dev.weft.annotation: @Cached, @CachedBulk, @WriteThrough, @Invalidate, @RateLimited,
 * @DistributedLock, @Counted, repeated or not), in declaration order:
 *
 *   find(long)=id
 *   search(java.lang.String[],int[][],com.acme.Outer$Filter)=terms,grid,filter
 *   ping()=
 *
 * The key is the method name, then the erased parameter types as Class.getTypeName() prints them
 * at run time, separated by "," with no spaces, in parentheses (varargs are arrays). The value is
 * the parameter names in order, separated by ",". The file is ISO-8859-1 with java.util.Properties
 * escapes (a backslash, 'u' and four hex digits for anything outside printable ASCII), so
 * Properties.load(InputStream) reads it.
 * It carries no timestamp: the same source gives the same bytes.
 *
 * The runtime builds the same key from a java.lang.reflect.Method:
 *   name + "(" + join(",", map(Class::getTypeName, getParameterTypes())) + ")"
 * and uses the names when the class was compiled without -parameters.
 */

/**
 * Writes the parameter-names resource of a class; see the format in the block comment at the top
 * of this file.
 */
final class ParameterNamesFile {

  /** The folder, in the class output, that holds one file per class. */
  static final String FOLDER = "META-INF/weft/parameter-names/";

  private final Elements elements;
  private final Types types;
  private final Filer filer;
  private final Reporter reporter;

  ParameterNamesFile(Elements elements, Types types, Filer filer, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.filer = filer;
    this.reporter = reporter;
  }

  /**
   * Writes the file of {@code type}. A file that already exists in this compilation is left as it
   * is; any other failure is an error on the class.
   *
   * @param type the class, the file's originating element, not {@code null}
   * @param binaryName its binary name ({@code Class.getName()}), not {@code null}
   * @param methods its annotated methods in declaration order, not {@code null}
   */
  void write(TypeElement type, String binaryName, List<ExecutableElement> methods) {
    String path = FOLDER + binaryName + ".properties";
    StringBuilder content = new StringBuilder();
    content.append("# Parameter names of Weft-annotated methods, written by weft-processor.\n");
    content.append("# method(erased parameter types as Class.getTypeName())=parameter names\n");
    for (ExecutableElement method : methods) {
      content
          .append(escape(key(method), true))
          .append('=')
          .append(escape(names(method), false))
          .append('\n');
    }
    FileObject file;
    try {
      file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path, type);
    } catch (FilerException e) {
      return; // already written in this compilation, from the same class
    } catch (IOException e) {
      reportFailure(type, path, e);
      return;
    }
    try (OutputStream out = file.openOutputStream();
        Writer writer = new OutputStreamWriter(out, StandardCharsets.ISO_8859_1)) {
      writer.write(content.toString());
    } catch (IOException e) {
      reportFailure(type, path, e);
    }
  }

  private void reportFailure(TypeElement type, String path, IOException e) {
    reporter.error(
        type,
        null,
        null,
        "weft-processor could not write "
            + path
            + ": "
            + e.getMessage()
            + "; without it, compile with -parameters so {name} placeholders resolve at run time");
  }

  /**
   * @param method an annotated method, not {@code null}
   * @return {@code name(type1,type2)} with run-time type names, such as
   *     {@code search(java.lang.String[],int)}
   */
  String key(ExecutableElement method) {
    StringJoiner key = new StringJoiner(",", method.getSimpleName() + "(", ")");
    for (VariableElement parameter : method.getParameters()) {
      key.add(runtimeName(types.erasure(parameter.asType())));
    }
    return key.toString();
  }

  private static String names(ExecutableElement method) {
    StringJoiner names = new StringJoiner(",");
    for (VariableElement parameter : method.getParameters()) {
      names.add(parameter.getSimpleName());
    }
    return names.toString();
  }

  /**
   * The name {@code Class.getTypeName()} gives the erased type at run time. Erasure has already
   * replaced type variables by (the erasure of) their first bound.
   */
  private String runtimeName(TypeMirror erased) {
    switch (erased.getKind()) {
      case ARRAY:
        return runtimeName(types.erasure(((ArrayType) erased).getComponentType())) + "[]";
      case DECLARED:
        return elements
            .getBinaryName((TypeElement) ((DeclaredType) erased).asElement())
            .toString();
      default:
        return erased.toString(); // primitives: "long", "boolean", ...
    }
  }

  /**
   * @param methods the methods of one class, not {@code null}
   * @return whether some parameter type of the methods is not resolved yet, so its run-time name
   *     is not known
   */
  static boolean hasUnresolvedTypes(List<ExecutableElement> methods) {
    for (ExecutableElement method : methods) {
      for (VariableElement parameter : method.getParameters()) {
        TypeMirror type = parameter.asType();
        while (type.getKind() == TypeKind.ARRAY) {
          type = ((ArrayType) type).getComponentType();
        }
        if (type.getKind() == TypeKind.ERROR) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Escapes as {@link java.util.Properties#store(OutputStream, String)} does: backslash, the
   * separators {@code = :}, the comment marks {@code # !}, control characters, a leading space
   * (every space in a key), and every character outside printable ASCII as a Unicode escape (a
   * backslash, {@code u} and four hex digits).
   *
   * @param text the key or value, not {@code null}
   * @param key whether {@code text} is a key, in which every space is escaped
   * @return the escaped text, printable ASCII only
   */
  static String escape(String text, boolean key) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '=':
        case ':':
        case '#':
        case '!':
          out.append('\\').append(c);
          break;
        case ' ':
          out.append(key || i == 0 ? "\\ " : " ");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.toString();
  }
}
