package io.dataops.platform.demo;

import io.dataops.core.digest.Digests;
import io.dataops.governance.grant.Application;
import io.dataops.governance.grant.Grant;
import io.dataops.governance.grant.Grants;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Session;
import io.dataops.platform.session.Sessions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The grants the demo's pipelines run under (runs are refused without one): for each pipeline the operator applies
 * for its scenario — its ods tables with exactly the columns it reads, for a year, for its product — and the
 * authority and every owning department approve. The one place the demo makes them.
 */
final class DemoGrants {
  private DemoGrants() {}

  /** Applies for and approves the grant of each pipeline; gives their ids. */
  static List<Long> grant(PlatformConfig config, Lakehouse lakehouse, Cast cast, List<BoundPipeline> pipelines) {
    Session operator = cast.as(Cast.OPERATOR, "grant apply");
    List<Long> ids = new ArrayList<>();
    for (BoundPipeline p : pipelines) {
      PipelineDefinition d = p.definition();
      List<Application.Resource> resources = new ArrayList<>();
      for (BoundPipeline.BoundInput in : p.inputs()) {
        if (in.table().namespace().level(0).equals(Zone.ODS.namespaceName())) {
          resources.add(new Application.Resource(in.table().toString(), List.copyOf(in.columns().keySet()), null, 0,
              0, 0));
        }
      }
      LocalDate today = LocalDate.now(Grants.ZONE);
      String purpose = "the demo's " + d.product() + " product";
      Application a = new Application("demo application for " + d.name(), d.scenario(), purpose, null, today,
          today.plusYears(1), List.of(d.product()), resources,
          Digests.sha256(d.scenario() + "\n" + d.sha256()));
      Grant g = new Grants(Sessions.database(config), lakehouse, operator.audit()).apply(a, operator.actor());
      for (String party : g.awaiting()) {
        Cast.Member m = Grant.AUTHORITY.equals(party) ? Cast.AUTHORITY : Cast.ALL.stream()
            .filter(x -> x.organization().equals(party)).findFirst().orElseThrow();
        Session s = cast.as(m, "grant approve");
        new Grants(Sessions.database(config), lakehouse, s.audit()).approve(g.id(), s.actor(),
            "fits the district's measures", null, null);
      }
      ids.add(g.id());
    }
    return ids;
  }
}
