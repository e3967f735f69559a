package example.kotlin

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * Run by `KotlinAgentIT` in a JVM of its own under `-javaagent:weft-agent.jar` (and JaCoCo's
 * agent): prints one `key=value` line per fact the test checks. Runs the parts named as
 * arguments (`catalog`, `ratelimit`, `lock`, `labels`), or all of them. A part that throws prints
 * `<part>.error=<exception>` and the others still run.
 */
fun main(args: Array<String>) {
    val parts = mapOf(
        "catalog" to ::catalog, "ratelimit" to ::rateLimit, "lock" to ::lock, "labels" to ::labels)
    fact("java.classVersion") { classVersion(Catalog::class.java) }
    for ((name, body) in parts) {
        if (args.isEmpty() || name in args) part(name, body)
    }
    fact("done") { true }
    System.exit(0)
}

private fun catalog() {
    val c = Catalog()
    fact("name") { c.name("a") + "," + c.name("a") }
    fact("find") { "${c.find("")},${c.find("")},${c.find("x1")},${c.find("x1")},${c.find("b")},${c.find("b")}" }
    fact("size") { "${c.size("s")},${c.size("s")},${c.size("l")},${c.size("zz")},${c.size("zz")}" }
    fact("weight") { "${c.weight("s")},${c.weight("m")},${c.weight("m")},${c.weight("q")}" }
    fact("price") { "${c.price("p")}|${c.price("p")}|${c.price("p", "USD")}|${c.price("p", cents = 5)}" }
    fact("present") { "${c.present(2)},${c.present(2)},${c.present(3)}" }
    fact("catalog.loads") { c.loads.get() }
    fact("greet") { Catalog.greet("ann") + "," + Catalog.greet("ann") }
    fact("greet.loads") { Catalog.staticLoads.get() }
    fact("top") { topLevel("t") + "," + topLevel("t") }
    fact("top.loads") { topLevelLoads.get() }
}

private fun rateLimit() {
    val c = Catalog()
    val outcomes = (1..5).map {
        try {
            c.quote("u1")
            "ok"
        } catch (e: RuntimeException) {
            e.javaClass.simpleName
        }
    }
    fact("quote") { outcomes.joinToString(",") }
}

private fun lock() {
    val ledger = Ledger()
    val pool = Executors.newFixedThreadPool(8)
    val results = (1..8).map {
        pool.submit<Unit> { repeat(25) { ledger.post("acc", 1) } }
    }
    pool.shutdown()
    pool.awaitTermination(2, TimeUnit.MINUTES)
    results.forEach { it.get() }
    fact("ledger.balance") { ledger.balance }
    fact("ledger.mostInside") { ledger.most.get() }
    fact("ledger.refused") { ledger.post("acc", -1) }
}

private fun labels() {
    val l = Labels()
    fact("label") { "${l.label(-1)},${l.label(-1)},${l.label(4)},${l.label(4)}" }
    fact("label.loads") { l.loads.get() }
}

private fun classVersion(type: Class<*>): Int {
    val bytes = type.getResourceAsStream(type.simpleName + ".class")!!.use { it.readBytes() }
    return ((bytes[6].toInt() and 0xff) shl 8) or (bytes[7].toInt() and 0xff)
}

private fun part(name: String, body: () -> Unit) {
    try {
        body()
    } catch (e: Throwable) {
        println("$name.error=" + e.toString().replace('\n', ' '))
    }
}

private fun fact(key: String, value: () -> Any?) {
    val text = try {
        value().toString()
    } catch (e: Throwable) {
        "error " + e.toString().replace('\n', ' ')
    }
    println("$key=$text")
}
