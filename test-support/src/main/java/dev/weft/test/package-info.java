/**
 * A real Redis for tests and local runs. {@link dev.weft.test.RedisLauncher} starts a standalone
 * server or a three-master cluster from any code; the annotations {@link dev.weft.test.WeftRedis}
 * and {@link dev.weft.test.WeftRedisCluster} give each JUnit 5 test class its own. Never a mock: a
 * server named by {@code WEFT_REDIS_URL}, a Testcontainers container, a {@code redis-server} on the
 * {@code PATH}, or the binary inside the embedded-redis jar. Everything not public here is an
 * implementation detail.
 */
package dev.weft.test;
