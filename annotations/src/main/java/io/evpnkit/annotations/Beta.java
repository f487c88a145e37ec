package io.evpnkit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks API that may still change incompatibly between minor releases: a type, or a member of a
 * type that is otherwise stable. Everything public and not marked follows semantic versioning from
 * 0.1.0 on, and the build's API check (japicmp against the previous release) fails on an
 * incompatible change to it; marked API is left out of that check. Embedders who cannot follow such
 * changes avoid it, as with Guava's {@code @Beta}.
 *
 * <p>Retained in class files (tools such as japicmp read it) but not at run time: this module is
 * needed to compile against evpnkit, never to run it.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({
  ElementType.TYPE,
  ElementType.METHOD,
  ElementType.CONSTRUCTOR,
  ElementType.FIELD,
  ElementType.ANNOTATION_TYPE,
  ElementType.PACKAGE
})
public @interface Beta {}
