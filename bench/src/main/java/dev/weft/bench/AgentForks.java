package dev.weft.bench;

import dev.weft.bench.WeavingOverheadBenchmark.Contender;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Splits one JMH run into runs whose forks share JVM options: {@link WeavingOverheadBenchmark}'s
 * contenders woven at load time need a {@code -javaagent} that the others must not have, and
 * JMH's {@code @Fork} gives every parameter value of a benchmark the same options. Each run of
 * that benchmark holds consecutive contenders (declaration order) with one {@link JavaAgent};
 * every other selected benchmark runs once, as JMH would run it.
 */
final class AgentForks {

  private static final String WEAVING = WeavingOverheadBenchmark.class.getName();

  private AgentForks() {}

  /**
   * @param options the run's options (command line and BenchMain's own)
   * @return the runs to make, in order; just {@code options} when the weaving benchmark is not
   *     selected
   */
  static List<Options> split(Options options) {
    List<String> includes = options.getIncludes().isEmpty() ? List.of(".*") : options.getIncludes();
    SortedSet<BenchmarkListEntry> selected =
        BenchmarkList.defaultList()
            .find(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                includes,
                options.getExcludes());
    boolean weaving = selected.stream().anyMatch(e -> e.getUserClassQName().equals(WEAVING));
    if (!weaving) {
      return List.of(options);
    }
    List<Options> runs = new ArrayList<>();
    if (selected.stream().anyMatch(e -> !e.getUserClassQName().equals(WEAVING))) {
      runs.add(new OptionsBuilder().parent(options).exclude(Pattern.quote(WEAVING + ".")).build());
    }
    Set<String> wanted =
        options.getParameter("contender").hasValue()
            ? Set.copyOf(options.getParameter("contender").get())
            : Stream.of(Contender.values()).map(Enum::name).collect(Collectors.toSet());
    List<Contender> batch = new ArrayList<>();
    for (Contender c : Contender.values()) {
      if (!wanted.contains(c.name())) {
        continue;
      }
      if (!batch.isEmpty() && batch.get(0).agent != c.agent) {
        runs.add(weavingRun(options, batch));
        batch = new ArrayList<>();
      }
      batch.add(c);
    }
    if (!batch.isEmpty()) {
      runs.add(weavingRun(options, batch));
    }
    return runs;
  }

  private static Options weavingRun(Options options, List<Contender> contenders) {
    // this run's jvmArgsAppend replaces the parent's, so the parent's are carried over
    List<String> jvmArgs = new ArrayList<>(options.getJvmArgsAppend().orElse(List.of()));
    jvmArgs.addAll(contenders.get(0).agent.jvmArgs());
    return new OptionsBuilder()
        .parent(options)
        // everything but this benchmark
        .exclude("^(?!" + Pattern.quote(WEAVING + ".") + ")")
        .param("contender", contenders.stream().map(Enum::name).toArray(String[]::new))
        .jvmArgsAppend(jvmArgs.toArray(String[]::new))
        .build();
  }
}
