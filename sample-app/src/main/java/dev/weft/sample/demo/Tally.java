package dev.weft.sample.demo;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What the load's clients saw, counted as they go; thread-safe. */
final class Tally {

  final LongAdder requests = new LongAdder();
  final LongAdder limitedPerAddress = new LongAdder();
  final LongAdder limitedPerUser = new LongAdder();
  final LongAdder limitedWithoutHeaders = new LongAdder();
  final LongAdder ordersPlaced = new LongAdder();
  final LongAdder outOfStock = new LongAdder();
  final LongAdder unavailable = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder productViews = new LongAdder();
  final LongAdder logins = new LongAdder();
  final LongAdder logouts = new LongAdder();
  final LongAdder unauthorized = new LongAdder();
  final Set<String> buyers = ConcurrentHashMap.newKeySet();
  final Map<String, LongAdder> unitsOrdered = new ConcurrentHashMap<>();
  final AtomicReference<String> firstError = new AtomicReference<>();

  /** @return requests answered 429, by either limit */
  long limited() {
    return limitedPerAddress.sum() + limitedPerUser.sum();
  }

  void ordered(String user, String sku, int quantity) {
    ordersPlaced.increment();
    buyers.add(user);
    unitsOrdered.computeIfAbsent(sku, k -> new LongAdder()).add(quantity);
  }

  /** @param sku a product @return units of it acknowledged as ordered */
  long unitsOrdered(String sku) {
    LongAdder units = unitsOrdered.get(sku);
    return units == null ? 0 : units.sum();
  }

  void error(String what) {
    errors.increment();
    firstError.compareAndSet(null, what);
  }
}
