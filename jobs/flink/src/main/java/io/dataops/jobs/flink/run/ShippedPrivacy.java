package io.dataops.jobs.flink.run;

import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.Closeness;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The privacy check's settings, shipped to the tasks that count classes: the same check the run plan makes. */
record ShippedPrivacy(int k, Integer l, String sensitive, String weightColumn, List<String> quasiIdentifiers,
    Map<String, String> added, BoundPipeline.Optimization optimization, Closeness closeness) implements Serializable {

  ShippedPrivacy {
    quasiIdentifiers = List.copyOf(quasiIdentifiers);
    added = new LinkedHashMap<>(added);
  }

  static ShippedPrivacy of(BoundPipeline.Privacy p) {
    return p == null ? null : new ShippedPrivacy(p.k(), p.l(), p.sensitive(), p.weightColumn(), p.quasiIdentifiers(),
        p.added(), p.optimization(), p.closeness());
  }

  AnonymityCheck newCheck(Path spillDir, long memoryBudget) {
    return new AnonymityCheck(k, l, sensitive, weightColumn, quasiIdentifiers, added, optimization, closeness,
        spillDir, memoryBudget);
  }
}
