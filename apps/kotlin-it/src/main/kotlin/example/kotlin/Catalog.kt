package example.kotlin

import dev.weft.annotation.Cached
import dev.weft.annotation.DistributedLock
import dev.weft.annotation.RateLimited
import java.util.concurrent.atomic.AtomicInteger

/**
 * Weft-annotated methods in the shapes kotlinc writes: expression bodies, early returns, `when`
 * with several returns, default arguments (kotlinc adds a static `price$default` that calls the
 * annotated method), a companion function with `@JvmStatic`, nullable and primitive returns.
 */
open class Catalog {

    val loads = AtomicInteger()

    @Cached(key = "kt:name:{id}", ttl = "1m")
    fun name(id: String) = "name-$id".also { loads.incrementAndGet() }

    @Cached(key = "kt:find:{id}", ttl = "1m")
    fun find(id: String): String? {
        loads.incrementAndGet()
        if (id.isEmpty()) return null
        if (id.startsWith("x")) return "special-$id"
        return "found-$id"
    }

    @Cached(key = "kt:size:{kind}", ttl = "1m")
    fun size(kind: String): Int {
        loads.incrementAndGet()
        when (kind) {
            "s" -> return 1
            "m" -> return 2
            "l" -> return 3
        }
        return 0
    }

    @Cached(key = "kt:weight:{kind}", ttl = "1m")
    fun weight(kind: String): Long = when (kind) {
        "s" -> 10L.also { loads.incrementAndGet() }
        "m" -> {
            loads.incrementAndGet()
            20L
        }
        else -> -1L.also { loads.incrementAndGet() }
    }

    @Cached(key = "kt:price:{sku}:{currency}:{cents}", ttl = "1m")
    fun price(sku: String, currency: String = "EUR", cents: Long = 100): String {
        loads.incrementAndGet()
        return "$sku $cents $currency"
    }

    @Cached(key = "kt:present:{id}", ttl = "1m")
    fun present(id: Int): Boolean {
        loads.incrementAndGet()
        return id % 2 == 0
    }

    @RateLimited(key = "kt:quote:{user}", permits = 3, window = "1m")
    fun quote(user: String) = "quote for $user"

    companion object {
        val staticLoads = AtomicInteger()

        @JvmStatic
        @Cached(key = "kt:greet:{name}", ttl = "1m")
        fun greet(name: String): String {
            staticLoads.incrementAndGet()
            return "hello $name"
        }
    }
}

/** A read-modify-write that only a lock keeps whole. */
open class Ledger {

    val inside = AtomicInteger()
    val most = AtomicInteger()
    var balance = 0L
        private set

    @DistributedLock(key = "kt:ledger:{account}", waitTime = "1m")
    fun post(account: String, amount: Long): Long {
        val now = inside.incrementAndGet()
        most.accumulateAndGet(now) { a, b -> maxOf(a, b) }
        try {
            if (amount < 0) return -1
            val read = balance
            Thread.sleep(1) // a blocking step between the read and the write
            balance = read + amount
            return balance
        } finally {
            inside.decrementAndGet()
        }
    }
}

/** The top-level function's file class, `CatalogKt`, is woven like any other class. */
val topLevelLoads = AtomicInteger()

@Cached(key = "kt:top:{id}", ttl = "1m")
fun topLevel(id: String): String {
    topLevelLoads.incrementAndGet()
    return "top-$id"
}
