/**
 * The annotations that Weft weaves into methods. This package depends on nothing but the JDK, so an
 * application run under the Weft agent needs no other Weft artifact at compile time.
 */
package dev.weft.annotation;
