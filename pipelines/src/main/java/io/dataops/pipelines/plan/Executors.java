package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The engines this build has: every {@link PipelineExecutor.Factory} on the class path. */
public final class Executors {
  private Executors() {}

  public static List<PipelineExecutor.Factory> factories() {
    List<PipelineExecutor.Factory> out = new ArrayList<>();
    ServiceLoader.load(PipelineExecutor.Factory.class, Executors.class.getClassLoader()).forEach(out::add);
    out.sort(Comparator.comparingInt(PipelineExecutor.Factory::priority)
        .thenComparing(PipelineExecutor.Factory::engine));
    return out;
  }

  public static List<String> engines() {
    return factories().stream().map(PipelineExecutor.Factory::engine).toList();
  }

  /** The engine {@code --engine} defaults to (the factory with the lowest priority number). */
  public static String defaultEngine() {
    List<String> engines = engines();
    if (engines.isEmpty()) {
      throw new IllegalStateException("this build has no pipeline engine");
    }
    return engines.get(0);
  }

  /** Refuses an engine this build does not have, naming those it has. */
  public static PipelineExecutor.Factory factory(String engine) {
    return factories().stream().filter(f -> f.engine().equals(engine)).findFirst()
        .orElseThrow(() -> new BadInputException("engine '" + engine + "' is not in this build (engines: "
            + String.join(", ", engines()) + ")"));
  }

  public static PipelineExecutor create(String engine, ExecutorEnvironment environment) {
    return factory(engine).create(environment);
  }
}
