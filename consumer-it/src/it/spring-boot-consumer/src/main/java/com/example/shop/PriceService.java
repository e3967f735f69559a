package com.example.shop;

import dev.weft.annotation.Cached;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** Prices from a slow source, cached in Redis by Weft. */
@Service
public class PriceService {

  private final AtomicInteger sourceCalls = new AtomicInteger();

  @Cached(key = "price:{sku}", ttl = "10m")
  public long price(String sku) {
    sourceCalls.incrementAndGet();
    return 1999;
  }

  /** @return how many times {@link #price} reached its source */
  public int sourceCalls() {
    return sourceCalls.get();
  }
}
