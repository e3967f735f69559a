package dev.weft.sample.web;

import dev.weft.sample.shop.Shop;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What every {@link ShopServer} of a process shares.
 *
 * @param shop the shop's services
 * @param ipLimit the per-address rate limit
 * @param redis the probe behind {@code /health}
 * @param registry the meters behind {@code /metrics}
 * @param weaving how Weft's annotations were woven, as {@code /health} reports it
 */
public record ServerContext(
    Shop shop,
    IpRateLimit ipLimit,
    RedisProbe redis,
    PrometheusMeterRegistry registry,
    String weaving) {}
