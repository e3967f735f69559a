package example.kotlin

import dev.weft.annotation.Cached
import java.util.concurrent.atomic.AtomicInteger

/**
 * A return with other values still on the operand stack, which javac never writes and kotlinc
 * does: in `"label-" + maxOf(id, if (id < 0) return ... else 0)` the first argument of `maxOf`
 * (and, for Java 8, where strings are joined with a `StringBuilder`, the string built so far) is
 * on the stack when the method returns early. A class of its own, so that a class the agent
 * cannot weave here does not take the others with it.
 */
open class Labels {

    val loads = AtomicInteger()

    @Cached(key = "kt:label:{id}", ttl = "1m")
    fun label(id: Int): String {
        loads.incrementAndGet()
        return "label-" + maxOf(id, if (id < 0) return "negative" else 0)
    }
}
