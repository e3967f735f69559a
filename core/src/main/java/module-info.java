/**
 * The Weft runtime: {@code dev.weft} (the runtime, {@code Weft}, and its health), one package per
 * pattern for the pattern's public types, and the annotations module, which every user of the
 * runtime reads as well.
 *
 * <p>{@code dev.weft.weaving} holds the entry points that woven code calls, for the adapters
 * (weft-aspectj, weft-agent) only; {@code dev.weft.internal.*} is not exported. Jackson reads and
 * writes only the application's types (the application opens their packages to {@code
 * com.fasterxml.jackson.databind} as it would for any Jackson use); Weft opens nothing of its own.
 */
module dev.weft.core {
  requires transitive dev.weft.annotations;
  requires dev.weft.syntax;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.github.benmanes.caffeine;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
  requires io.netty.common;
  requires lettuce.core;
  requires org.apache.commons.codec;
  requires org.slf4j;
  requires reactor.core;
  requires static micrometer.core;

  exports dev.weft;
  exports dev.weft.bloom;
  exports dev.weft.cache;
  exports dev.weft.codec;
  exports dev.weft.counter;
  exports dev.weft.leaderboard;
  exports dev.weft.lock;
  exports dev.weft.pubsub;
  exports dev.weft.queue;
  exports dev.weft.ratelimit;
  exports dev.weft.session;
  exports dev.weft.stream;
  exports dev.weft.writebehind;
  exports dev.weft.weaving to
      dev.weft.aspectj,
      dev.weft.agent,
      dev.weft.spring;
}
