package dev.weft.sample.web;

import dev.weft.Weft;
import dev.weft.sample.shop.Shop;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What every {@link ShopServer} of a process shares.
 *
 * @param weft the Weft runtime, for each instance's stream consumers and {@code /health}
 * @param shop the shop's services
 * @param login the sessions
 * @param ipLimit the per-address rate limit
 * @param registry the meters behind {@code /metrics}
 * @param weaving how Weft's annotations were woven, as {@code /health} reports it
 */
public record ServerContext(
    Weft weft,
    Shop shop,
    Login login,
    IpRateLimit ipLimit,
    PrometheusMeterRegistry registry,
    String weaving) {}
