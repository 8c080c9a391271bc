package io.dataops.pipelines.definition;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.landing.FeedTables;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.BoundPipeline.Personal;
import io.dataops.pipelines.definition.PipelineDefinition.Input;
import io.dataops.pipelines.definition.PipelineDefinition.PolicySpec;
import io.dataops.pipelines.definition.PipelineDefinition.PrivacySpec;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.desensitize.Keep;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.desensitize.PolicyException;
import io.dataops.pipelines.detect.PersonalDataDetector;
import io.dataops.pipelines.plan.PinnedInput;
import io.dataops.pipelines.plan.ReadGrant;
import io.dataops.pipelines.privacy.SmallestGroups;
import io.dataops.pipelines.privacy.SmallestGroupsCache;
import io.dataops.pipelines.privacy.lattice.Hierarchies;
import io.dataops.pipelines.privacy.lattice.Hierarchy;
import io.dataops.pipelines.sql.DuckDbConnections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * Checks a pipeline against the lakehouse without running it, and binds it for a run: every table, column, type,
 * snapshot, SQL construct and policy is checked, each problem reported with the file and line. Personal data is what
 * the feed contract declares, plus what a sample of the pinned snapshot shows ({@link PersonalDataDetector}); an
 * output column that carries personal data must have a policy other than keep.
 */
public final class PipelineValidator {
  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private static final int SAMPLE_ROWS = 500;
  /** What the measure of undeclared quasi-identifiers may hold in memory before its class counts spill. */
  private static final long MEASURE_MEMORY = 64L << 20;
  /**
   * Types whose values DuckDB's GROUP BY tells apart exactly as the measure's value hashes (their canonical texts)
   * do; not floating point (-0.0 and 0.0 are one group there, two here) nor timestamps with a zone.
   */
  private static final java.util.Set<ValueType> GROUPED_ALIKE = java.util.EnumSet.of(ValueType.STRING, ValueType.INT,
      ValueType.LONG, ValueType.DECIMAL, ValueType.DATE, ValueType.BOOLEAN);
  private static final Pattern DUCKDB_LINE = Pattern.compile("LINE (\\d+):");

  private final Lakehouse lakehouse;
  private final KeyRing keys;
  private final KeepLimits limits;
  /** Where measures of undeclared quasi-identifiers are kept between validations; null: measured every time. */
  private final SmallestGroupsCache measures;
  /** Asked before the measure reads a row: what the caller may read of the inputs. */
  private final ReadAccess access;

  /** With the platform's default limits of what a policy may leave of an identifier. */
  public PipelineValidator(Lakehouse lakehouse, KeyRing keys) {
    this(lakehouse, keys, KeepLimits.DEFAULTS);
  }

  /** @param limits what a policy may leave in clear of each kind of identifier (the authority may set them stricter) */
  public PipelineValidator(Lakehouse lakehouse, KeyRing keys, KeepLimits limits) {
    this(lakehouse, keys, limits, null, ReadAccess.UNGOVERNED);
  }

  private PipelineValidator(Lakehouse lakehouse, KeyRing keys, KeepLimits limits, SmallestGroupsCache measures,
      ReadAccess access) {
    this.lakehouse = lakehouse;
    this.keys = keys;
    this.limits = limits;
    this.measures = measures;
    this.access = access;
  }

  /**
   * This validator, taking the measure of undeclared quasi-identifiers from {@code cache} when the same inputs'
   * snapshots, transform, columns and policies were measured before (the raw values of a snapshot never change), and
   * leaving each new measure there.
   */
  public PipelineValidator measuresCachedIn(SmallestGroupsCache cache) {
    return new PipelineValidator(lakehouse, keys, limits, cache, access);
  }

  /**
   * This validator, asking {@code access} before its detector's sample or its measure reads any row of the inputs,
   * and reading them under the grants it answers with (their columns, their row filters), as a run does.
   */
  public PipelineValidator readsUnder(ReadAccess access) {
    return new PipelineValidator(lakehouse, keys, limits, measures, access);
  }

  /**
   * @param baseDir the pipeline file's folder: the quality suite is found relative to it
   */
  public BoundPipeline bind(PipelineDefinition d, Path baseDir) {
    String src = d.source();
    List<String> warnings = new ArrayList<>();
    List<Pinned> pins = new ArrayList<>();
    List<BoundInput> inputs = new ArrayList<>();
    long newestMillis = 0;
    for (Input in : d.inputs()) {
      Pinned pinned = input(d, in);
      pins.add(pinned);
      inputs.add(pinned.input());
      newestMillis = Math.max(newestMillis, pinned.snapshot().timestampMillis());
    }
    Authorization authorization = new Authorization(access, d, List.copyOf(inputs));
    for (int i = 0; i < pins.size(); i++) {
      inputs.set(i, detected(pins.get(i), authorization));
    }
    LocalDate asOf = d.asOf() != null ? d.asOf() : Instant.ofEpochMilli(newestMillis).atZone(CHINA).toLocalDate();

    try (Connection duck = DuckDbConnections.open()) {
      Map<String, Map<String, ValueType>> types = new LinkedHashMap<>();
      try (Statement s = duck.createStatement()) {
        for (BoundInput b : inputs) {
          Map<String, ValueType> t = new LinkedHashMap<>();
          StringBuilder ddl = new StringBuilder("CREATE TABLE " + b.alias() + " (");
          b.columns().forEach((name, type) -> {
            t.put(name, type.type());
            ddl.append(t.size() > 1 ? ", " : "").append('"').append(name).append("\" ").append(type.sql());
          });
          s.execute(ddl.append(')').toString());
          types.put(b.alias(), t);
        }
      }
      for (int i = 0; i < inputs.size(); i++) {
        Input in = d.inputs().get(i);
        if (in.filter() != null) {
          SqlSubset.checkFilter(duck, src, in.alias(), in.filter(), in.filterLine(), types.get(in.alias()));
          bindFilter(duck, src, in.alias(), in.filter(), in.filterLine());
        }
      }
      String sql = d.transform() != null ? d.transform()
          : "SELECT " + String.join(", ", d.inputs().get(0).columns().stream().map(c -> '"' + c + '"').toList())
              + " FROM " + d.inputs().get(0).alias();
      int sqlLine = d.transform() != null ? d.transformLine() : d.inputs().get(0).line();
      SqlSubset.Analysis analysis = SqlSubset.analyze(duck, src, sql, sqlLine, types);
      List<ColumnType> resultTypes = bindSql(duck, src, sql, sqlLine, "transform");

      for (SqlSubset.Source s : analysis.conditionSources()) {
        Personal p = personal(inputs, s);
        if (p != null) {
          throw new PipelineException(src, sqlLine, "transform: a condition reads " + s.alias() + "." + s.column()
              + " (" + p.kind().spelling() + ", " + p.reason() + ") other than as a whole value matched with another "
              + "column (a join key) or tested for null: which rows come through, or which value a column takes "
              + "(CASE, a comparison, LIKE, IN), would depend on its value, and the product could carry it out that "
              + "way; join on the whole value, filter on a column that is not personal, or give the column a policy "
              + "(generalize) instead of computing categories in SQL");
        }
      }
      Map<String, PolicySpec> specs = new LinkedHashMap<>(d.policies());
      PseudonymContexts.Default context = PseudonymContexts.of(lakehouse, d);
      if (context.warning() != null) {
        warnings.add(context.warning());
      }
      List<BoundColumn> columns = new ArrayList<>();
      // The characters each product column keeps in clear of each personal input column: parts of one value kept by
      // two columns (the first character in one, the last in another) add up to the value (found by a probe: names
      // rebuilt in full from three masks of the name).
      Map<String, Map<String, ColumnPolicy.Clear>> keptOf = new LinkedHashMap<>();
      for (int i = 0; i < analysis.columns().size(); i++) {
        SqlSubset.OutputColumn c = analysis.columns().get(i);
        ColumnType sqlType = resultTypes.get(i);
        PolicySpec spec = specs.remove(c.name());
        ColumnPolicy policy = spec == null ? new Keep() : PolicyFactory.build(src, spec, keys, asOf,
            context.context());
        ColumnType outType;
        try {
          ValueType t = policy.outputType(sqlType.type());
          outType = t == sqlType.type() ? sqlType : ColumnType.of(t);
        } catch (PolicyException e) {
          throw new PipelineException(src, spec.line(), "column '" + c.name() + "' (" + sqlType + "): "
              + e.getMessage());
        }
        List<String> carried = new ArrayList<>();
        List<String> derived = new ArrayList<>();
        java.util.Set<PersonalData> carriedKinds = java.util.EnumSet.noneOf(PersonalData.class);
        for (SqlSubset.Source s : c.sources()) {
          Personal p = personal(inputs, s);
          if (p != null) {
            String what = s.alias() + "." + s.column() + " (" + p.kind().spelling() + ", " + p.reason() + ")";
            (s.carrying() ? carried : derived).add(what);
            if (s.carrying()) {
              carriedKinds.add(p.kind());
            }
          }
        }
        if (!carried.isEmpty() && policy.passesRawValues()) {
          throw new PipelineException(src, spec != null ? spec.line() : c.line(), "column '" + c.name()
              + "' carries personal data from " + String.join(", ", carried) + " and "
              + (spec == null ? "has no policy" : "is kept as it is") + ": mask, pseudonymize, encrypt, generalize, "
              + "suppress or remove it");
        }
        if (!policy.retains().isEmpty() && policy.keepsColumn() && !ColumnPolicy.Clear.NONE.equals(
            policy.keptInClear())) {
          for (SqlSubset.Source s : c.sources()) {
            if (s.carrying() && personal(inputs, s) != null) {
              Map<String, ColumnPolicy.Clear> kept = keptOf.computeIfAbsent(s.alias() + "." + s.column(),
                  k -> new LinkedHashMap<>());
              kept.put(c.name(), policy.keptInClear());
              if (kept.size() > 1 && !oneCoversTheRest(kept.values())) {
                throw new PipelineException(src, spec != null ? spec.line() : c.line(), "columns "
                    + String.join(", ", kept.keySet().stream().map(n -> "'" + n + "'").toList()) + " each keep part of "
                    + s.alias() + "." + s.column() + " in clear: together they show more of one personal value than "
                    + "any of them does alone; keep one of them, or keep the same part");
              }
            }
          }
        }
        if (spec != null) {
          try {
            limits.check(policy, carriedKinds);
          } catch (PolicyException e) {
            throw new PipelineException(src, spec.line(), "column '" + c.name() + "': " + e.getMessage());
          }
          checkIdentifierShape(d, c, policy, carriedKinds, spec.line());
        }
        columns.add(new BoundColumn(c.name(), sqlType, policy, outType, c.sources(), List.copyOf(carried),
            List.copyOf(derived), c.line()));
      }
      if (!specs.isEmpty()) {
        PolicySpec stray = specs.values().iterator().next();
        throw new PipelineException(src, stray.line(), "policy for '" + stray.column() + "', which the "
            + (d.transform() != null ? "transform" : "input") + " does not produce (it produces "
            + String.join(", ", columns.stream().map(BoundColumn::name).toList()) + ")");
      }
      if (columns.stream().noneMatch(BoundColumn::inProduct)) {
        throw new PipelineException(src, d.productLine(), "every column is removed: the product would be empty");
      }
      BoundPipeline.Privacy privacy = privacy(d, columns, analysis, warnings, inputs, sql, sqlLine, authorization);
      if (d.incremental()) {
        checkIncremental(d, analysis);
        PseudonymContexts.requireUnchanged(lakehouse, d, columns, keys);
        ProductShape.requireUnchanged(lakehouse, d, columns);
      }
      if (privacy != null && privacy.optimization() != null) {
        columns = generalizedColumns(columns, privacy);
      }
      Path suite = null;
      if (d.quality() != null) {
        suite = baseDir.resolve(d.quality().suite()).normalize();
        if (!Files.isRegularFile(suite)) {
          throw new PipelineException(src, d.quality().line(), "no quality suite at " + suite);
        }
      }
      return new BoundPipeline(d, List.copyOf(inputs), sql, analysis.aggregates(), analysis.joins(),
          List.copyOf(columns), privacy, suite, asOf, List.copyOf(warnings));
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed while checking " + src, e);
    }
  }

  /**
   * An incremental product's quasi-identifiers stay those its saved class counts were made with: a column the measure
   * found rare before and no longer finds in the grown input is kept (counted as before: the safe direction; a run
   * was refused for it before, and the pipeline could never run again). A column it adds, the run refuses
   * ({@link io.dataops.pipelines.plan.ProductClasses#judge}): the published classes were not judged by it. The
   * saved order is kept (classes are hashed over the values in that order).
   */
  private BoundPipeline.Privacy keptQuasiIdentifiers(PipelineDefinition d, BoundPipeline.Privacy bound,
      Map<String, BoundColumn> byName) {
    List<String> saved = io.dataops.pipelines.plan.ProductClasses.savedQuasiIdentifiers(lakehouse, d.product());
    if (saved == null || saved.equals(bound.quasiIdentifiers())) {
      return bound;
    }
    Map<String, String> added = new LinkedHashMap<>();
    for (String q : saved) {
      BoundColumn c = byName.get(q);
      if (bound.declared().contains(q) || c == null || !c.inProduct() || bound.exempted().containsKey(q)
          || q.equals(bound.sensitive()) || q.equals(bound.weightColumn())) {
        continue; // declared already, or the pipeline changed: the run refuses what no longer adds up
      }
      added.put(q, bound.added().getOrDefault(q, "a quasi-identifier of the product's earlier versions (their saved "
          + "class counts), kept: an incremental product keeps its quasi-identifiers"));
    }
    bound.added().forEach(added::putIfAbsent);
    return new BoundPipeline.Privacy(bound.k(), bound.l(), bound.sensitive(), bound.weightColumn(), bound.declared(),
        added, bound.exempted(), bound.optimization(), bound.population(), bound.riskThreshold(), bound.closeness());
  }

  /**
   * An incremental run maps each appended row to product rows on its own: rows already published are never looked
   * at again. What needs the rows of earlier runs is refused, at the mode's line, with the reason.
   */
  private static void checkIncremental(PipelineDefinition d, SqlSubset.Analysis analysis) {
    String why = null;
    if (analysis.joins()) {
      why = "the transform joins its inputs: rows appended to one would miss the rows of the other that earlier "
          + "runs read";
    } else if (analysis.aggregates()) {
      why = "the transform aggregates: a group would be split between versions instead of counted once";
    } else if (analysis.distinct()) {
      why = "the transform uses DISTINCT: a row equal to one an earlier run published would be published again";
    }
    if (why != null) {
      throw new PipelineException(d.source(), d.modeLine(), "mode: incremental cannot run this pipeline: " + why
          + " (use mode: full)");
    }
  }

  /**
   * An input bound to its snapshot (the newest snapshot's time dates the policies), with the columns of text whose
   * personal data the feed contract does not declare: the detector looks at a sample of them once the caller's grant
   * allows it.
   */
  private record Pinned(BoundInput input, Table table, Snapshot snapshot, List<String> undeclared) {}

  /**
   * The caller's grant for a validation's reads, asked once and only when a row is about to be read (a sample for
   * the detector, the measure of undeclared quasi-identifiers): one grant check per validation.
   */
  private static final class Authorization {
    private final ReadAccess access;
    private final PipelineDefinition definition;
    private final List<BoundInput> inputs;
    private boolean asked;
    private List<ReadGrant> grants;

    Authorization(ReadAccess access, PipelineDefinition definition, List<BoundInput> inputs) {
      this.access = access;
      this.definition = definition;
      this.inputs = inputs;
    }

    /** The grants covering the inputs (null: ungoverned); a refusal is thrown, nothing having been read. */
    List<ReadGrant> grants() {
      if (!asked) {
        grants = access.authorize(definition, inputs);
        asked = true;
      }
      return grants;
    }
  }

  /**
   * The input with the personal data the detector finds in a sample of its undeclared text columns, read under the
   * caller's grant (its columns; its row filter, when it has one, applied by DuckDB over the pinned files).
   */
  private BoundInput detected(Pinned pinned, Authorization authorization) {
    BoundInput in = pinned.input();
    if (pinned.undeclared().isEmpty()) {
      return in;
    }
    // The grant's columns and row filter, checked as a run's are (ungoverned reads pass as they are); the files are
    // listed only when a row filter has DuckDB read them.
    PinnedInput governed = PinnedInput.governed(lakehouse, in, authorization.grants(),
        () -> new PinnedInput(in, null, List.of(), 0), authorization.definition);
    Map<String, List<String>> samples;
    if (governed.grantFilter() == null) {
      samples = sample(pinned.table(), pinned.snapshot(), pinned.undeclared());
    } else {
      PinnedInput files = PinnedInput.of(lakehouse, in);
      Path scratch = null;
      try {
        scratch = io.dataops.core.files.ProcessScratch.newFolder("sample-");
        PinnedInput filtered = new PinnedInput(in, null, files.dataFiles(), files.rows(), governed.grant(),
            governed.grantFilterColumns());
        samples = TransformScan.sample(lakehouse, filtered, pinned.undeclared(), SAMPLE_ROWS, scratch.resolve("duck"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot sample " + in.table(), e);
      } finally {
        deleteTree(scratch);
      }
    }
    Map<String, Personal> personal = new LinkedHashMap<>(in.personal());
    for (String c : pinned.undeclared()) {
      PersonalDataDetector.classify(c, samples.get(c)).ifPresent(det ->
          personal.put(c, new Personal(det.kind(), false, "detected: " + det.reason())));
    }
    return new BoundInput(in.alias(), in.table(), in.snapshotId(), in.columns(), personal, in.filter());
  }

  private Pinned input(PipelineDefinition d, Input in) {
    String src = d.source();
    TableIdentifier id = TableIdentifier.parse(in.table());
    String ns = id.namespace().toString();
    if (!ns.equals(Zone.ODS.namespaceName()) && !ns.equals(Zone.PRODUCT.namespaceName())) {
      throw new PipelineException(src, in.line(), "a pipeline reads granted resources (ods.*) or products "
          + "(product.*), not " + ns + ".*");
    }
    Table table;
    try {
      // Loaded once, not asked for first: the JDBC catalog answers whether a table exists by loading it.
      table = lakehouse.load(id);
    } catch (org.apache.iceberg.exceptions.NoSuchTableException missing) {
      throw new PipelineException(src, in.line(), "no table " + in.table() + " (see: dataops table list)");
    }
    Snapshot snapshot;
    if (in.latest()) {
      // The rows of the current snapshot, as of the oldest snapshot that held them (maintenance's compaction is no
      // new input).
      snapshot = io.dataops.lakehouse.maintenance.SameRows.asOf(table, table.currentSnapshot());
      if (snapshot == null) {
        throw new PipelineException(src, in.line(), "table " + in.table() + " has no data yet");
      }
    } else {
      snapshot = table.snapshot(Long.parseLong(in.snapshot()));
      if (snapshot == null) {
        throw new PipelineException(src, in.line(), "table " + in.table() + " has no snapshot " + in.snapshot()
            + " (see: dataops table history " + in.table() + ")");
      }
    }
    Schema schema = table.schemas().get(snapshot.schemaId());
    Map<String, ColumnType> columns = new LinkedHashMap<>();
    for (String c : in.columns()) {
      Types.NestedField f = schema.findField(c);
      if (f == null) {
        throw new PipelineException(src, in.columnsLine(), "table " + in.table() + " has no column '" + c
            + "' (it has " + String.join(", ", schema.columns().stream().map(Types.NestedField::name).toList()) + ")");
      }
      ColumnType t = ColumnType.fromIceberg(f.type());
      if (t == null) {
        throw new PipelineException(src, in.columnsLine(), "column '" + c + "' of " + in.table() + " is "
            + f.type() + ", which pipelines do not read");
      }
      renamedColumn(table, f).ifPresent(old -> {
        throw new PipelineException(src, in.columnsLine(), "column '" + c + "' of " + in.table() + " was called '"
            + old + "' in older snapshots; the Spring Batch engine reads data files by column name and cannot "
            + "follow the rename");
      });
      columns.put(c, t);
    }
    Map<String, Personal> personal = new LinkedHashMap<>();
    List<String> undeclared = new ArrayList<>();
    for (String c : in.columns()) {
      String declared = table.properties().get(FeedTables.PERSONAL_PREFIX + c);
      if (declared != null) {
        personal.put(c, new Personal(PersonalData.parse(declared), true, "declared in the feed contract"));
      } else if (columns.get(c).type() == ValueType.STRING) {
        undeclared.add(c);
      }
    }
    return new Pinned(new BoundInput(in.alias(), id, snapshot.snapshotId(), columns, personal, in.filter()), table,
        snapshot, undeclared);
  }

  /** The name a column had in an older schema of the table, if it was renamed since. */
  private static java.util.Optional<String> renamedColumn(Table table, Types.NestedField f) {
    for (Schema s : table.schemas().values()) {
      Types.NestedField old = s.findField(f.fieldId());
      if (old != null && !old.name().equals(f.name())) {
        return java.util.Optional.of(old.name());
      }
    }
    return java.util.Optional.empty();
  }

  private static Map<String, List<String>> sample(Table table, Snapshot snapshot, List<String> columns) {
    Map<String, List<String>> out = new HashMap<>();
    columns.forEach(c -> out.put(c, new ArrayList<>()));
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId())
        .select(columns).build()) {
      int n = 0;
      for (Record r : rows) {
        for (String c : columns) {
          Object v = r.getField(c);
          if (v != null) {
            out.get(c).add(v.toString());
          }
        }
        if (++n >= SAMPLE_ROWS) {
          break;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /**
   * What the per-column limits cannot see (found by a probe that rebuilt every ID number of a product): four columns,
   * each {@code mask custom} keeping 6+4 of an overlapping substring of the ID, showed all of it between them; and
   * {@code generalize buckets} of width 1 over the ID's first 17 digits as a number kept them whole (the 18th is a
   * check character). So, for a column carrying an identifier the limits bound: characters are kept in clear only of
   * the identifier as the input holds it, and a generalization of it needs the privacy check (every bucket at least
   * k people, which a width that keeps the identifier fails), without an exemption.
   */
  private void checkIdentifierShape(PipelineDefinition d, SqlSubset.OutputColumn c, ColumnPolicy policy,
      java.util.Set<PersonalData> carried, int line) {
    List<String> identifiers = carried.stream().filter(KeepLimits.NUMBERS::contains).map(PersonalData::spelling)
        .toList();
    if (identifiers.isEmpty()) {
      return;
    }
    String what = String.join(", ", identifiers);
    ColumnPolicy.Clear clear = policy.keptInClear();
    if (c.reshaped() && clear != null && (clear.first() > 0 || clear.last() > 0)) {
      throw new PipelineException(d.source(), line, "column '" + c.name() + "': " + policy.describe() + " keeps "
          + "characters in clear of an expression over " + what + " (substring, concat, arithmetic, a cast): the "
          + "limit counts the identifier's own first and last characters, so keep them of the column as the input "
          + "holds it, or pseudonymize or remove this one");
    }
    if (policy.kind().equals("generalize")) {
      if (d.privacy() == null) {
        throw new PipelineException(d.source(), line, "column '" + c.name() + "': " + policy.describe()
            + " generalizes a value carried from " + what + ": how much of the identifier it keeps depends on the "
            + "values (buckets of width 1 keep it whole), so it needs the privacy check (privacy: {k: 5}), which "
            + "counts it as a quasi-identifier; or pseudonymize or remove it");
      }
      if (d.privacy().exempt().containsKey(c.name())) {
        throw new PipelineException(d.source(), d.privacy().line(), "exempt: '" + c.name() + "' generalizes a value "
            + "carried from " + what + " and cannot be exempted from the privacy check");
      }
    }
  }

  /**
   * Binds a row filter against its table ({@code from}, as the SQL names it); it must give a boolean. DuckDB takes
   * {@code WHERE 5} (a number is true), so a probe's grant filter {@code 5} kept every row while approvers read
   * "rows where 5".
   */
  static void bindFilter(Connection duck, String src, String from, String filter, int line) {
    bindSql(duck, src, "SELECT 1 FROM " + from + " WHERE " + filter, line, "filter");
    String type;
    try (PreparedStatement p = duck.prepareStatement("SELECT (" + filter + "\n) FROM " + from)) {
      type = p.getMetaData().getColumnTypeName(1);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not type a filter it had bound", e);
    }
    if (!type.equals("BOOLEAN")) {
      throw new PipelineException(src, line, "filter: a filter is one boolean expression over the input's columns (a"
          + " comparison, IN, LIKE, IS NULL, joined by AND, OR, NOT); this one gives " + type);
    }
  }

  /** Binds {@code sql} in DuckDB (empty tables of the inputs' types) and gives the result's column types. */
  static List<ColumnType> bindSql(Connection duck, String src, String sql, int firstLine, String what) {
    try (PreparedStatement p = duck.prepareStatement(sql)) {
      ResultSetMetaData m = p.getMetaData();
      List<ColumnType> out = new ArrayList<>();
      for (int i = 1; i <= m.getColumnCount(); i++) {
        String name = m.getColumnTypeName(i);
        ColumnType t = duckType(name, m.getPrecision(i), m.getScale(i));
        if (t == null) {
          throw new PipelineException(src, firstLine, what + ": column '" + m.getColumnName(i) + "' is " + name
              + ", which products cannot hold (cast it)");
        }
        out.add(t);
      }
      return out;
    } catch (SQLException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage();
      int line = firstLine;
      Matcher lm = DUCKDB_LINE.matcher(msg);
      if (lm.find()) {
        int n = Integer.parseInt(lm.group(1));
        line = firstLine + n - 1;
      }
      String first = msg.lines().findFirst().orElse(msg).replaceFirst("^[A-Za-z ]*Error: ", "");
      throw new PipelineException(src, line, what + ": " + first);
    }
  }

  /** What makes the input column a source names personal, or null when it is not personal. */
  private static Personal personal(List<BoundInput> inputs, SqlSubset.Source s) {
    return inputs.stream().filter(x -> x.alias().equals(s.alias())).findFirst().orElseThrow().personal()
        .get(s.column());
  }

  /**
   * Whether one of these clear parts holds all the others (its first and last characters are at least theirs): then
   * the columns together show no more than that one. A part not bounded by position (a name's or an address's mask
   * by its convention: null) holds nothing else and is held by nothing.
   */
  static boolean oneCoversTheRest(java.util.Collection<ColumnPolicy.Clear> parts) {
    if (parts.contains(null)) {
      return false;
    }
    return parts.stream().anyMatch(big -> parts.stream()
        .allMatch(p -> big.first() >= p.first() && big.last() >= p.last()));
  }

  static ColumnType duckType(String name, int precision, int scale) {
    if (name.startsWith("DECIMAL")) {
      return new ColumnType(ValueType.DECIMAL, precision, scale);
    }
    return switch (name) {
      case "VARCHAR" -> ColumnType.of(ValueType.STRING);
      case "TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT" -> ColumnType.of(ValueType.INT);
      case "BIGINT", "UINTEGER", "HUGEINT" -> ColumnType.of(ValueType.LONG);
      case "FLOAT", "DOUBLE" -> ColumnType.of(ValueType.DOUBLE);
      case "DATE" -> ColumnType.of(ValueType.DATE);
      case "TIMESTAMP" -> ColumnType.of(ValueType.TIMESTAMP);
      case "TIMESTAMP WITH TIME ZONE" -> ColumnType.of(ValueType.TIMESTAMPTZ);
      case "BOOLEAN" -> ColumnType.of(ValueType.BOOLEAN);
      default -> null;
    };
  }

  private BoundPipeline.Privacy privacy(PipelineDefinition d, List<BoundColumn> columns,
      SqlSubset.Analysis analysis, List<String> warnings, List<BoundInput> inputs, String sql, int sqlLine,
      Authorization authorization) {
    String src = d.source();
    PrivacySpec p = d.privacy();
    // A suppressed column holds no value (every one null), whatever it was made from.
    List<String> derived = columns.stream().filter(c -> c.inProduct()
        && (!c.personalSources().isEmpty() || !c.derivedFromPersonal().isEmpty())
        && !(c.policy() instanceof io.dataops.pipelines.desensitize.Suppress)).map(BoundColumn::name).toList();
    if (p == null) {
      if (!derived.isEmpty()) {
        // Found by a probe: without privacy a row-level or small-cell product of personal records published each
        // person's values with only a warning.
        throw new PipelineException(src, d.productLine(), "the product holds values derived from personal data ("
            + String.join(", ", derived) + ") but declares no privacy: declare privacy: with k and the "
            + "quasi-identifiers, e.g. privacy: {k: 5, quasiIdentifiers: [" + derived.get(0) + "]} (see the "
            + "README's privacy section)");
      }
      return null;
    }
    Map<String, BoundColumn> byName = new LinkedHashMap<>();
    columns.forEach(c -> byName.put(c.name(), c));
    for (String q : p.quasiIdentifiers()) {
      BoundColumn c = byName.get(q);
      if (c == null || !c.inProduct()) {
        throw new PipelineException(src, p.line(), "quasi-identifier '" + q + "' is not a column of the product");
      }
    }
    if (p.sensitive() != null && (byName.get(p.sensitive()) == null || !byName.get(p.sensitive()).inProduct())) {
      throw new PipelineException(src, p.line(), "sensitive column '" + p.sensitive() + "' is not a column of the "
          + "product");
    }
    if (p.weightColumn() != null) {
      BoundColumn w = byName.get(p.weightColumn());
      if (w == null || !w.inProduct() || w.outputType().type() != ValueType.LONG
          && w.outputType().type() != ValueType.INT) {
        throw new PipelineException(src, p.line(), "countColumn '" + p.weightColumn() + "' must be a whole-number "
            + "column of the product (the number of people each row stands for)");
      }
      SqlSubset.Form form = analysis.columns().stream().filter(c -> c.name().equals(p.weightColumn()))
          .map(SqlSubset.OutputColumn::form).findFirst().orElse(SqlSubset.Form.EXPRESSION);
      if (analysis.joins() && !(form == SqlSubset.Form.COUNT_DISTINCT && !w.derivedFromPersonal().isEmpty())) {
        // A join repeats a row once per match: a count of rows, a sum of counts or a row's own count is then no
        // count of people (a self-join made each person a class of 15: found by a probe).
        throw new PipelineException(src, p.line(), "countColumn '" + p.weightColumn() + "': the transform joins "
            + "inputs, and a join repeats a row once per match, so only a count of distinct people is the number of "
            + "people behind each row: count(DISTINCT <the person's identifier>), e.g. count(DISTINCT c.id_card)");
      }
      if (analysis.aggregates() ? form != SqlSubset.Form.COUNT && form != SqlSubset.Form.COUNT_DISTINCT
          && form != SqlSubset.Form.SUM_OF_COLUMN : form != SqlSubset.Form.COLUMN) {
        throw new PipelineException(src, p.line(), "countColumn '" + p.weightColumn() + "' must be "
            + (analysis.aggregates() ? "count(*), count(column) or the sum of an input column of counts"
                : "an input column") + " as it is, not computed: the privacy check trusts it as the number of people "
            + "behind each row");
      }
    } else if (analysis.aggregates()) {
      throw new PipelineException(src, p.line(), "the transform aggregates: say which column counts the people "
          + "behind each row (countColumn), so that small cells can be suppressed");
    }
    Map<String, String> added = new LinkedHashMap<>();
    for (BoundColumn c : columns) {
      if (!c.inProduct() || p.quasiIdentifiers().contains(c.name()) || c.name().equals(p.weightColumn())
          || c.name().equals(p.sensitive())) {
        continue;
      }
      if (!c.personalSources().isEmpty() && !c.policy().retains().isEmpty()) {
        added.put(c.name(), c.policy().describe() + " keeps " + String.join(", ", c.policy().retains()));
      } else if (c.personalSources().isEmpty() && !c.derivedFromPersonal().isEmpty()
          && !(c.policy() instanceof io.dataops.pipelines.desensitize.Suppress)) {
        added.put(c.name(), "computed from " + String.join(", ", c.derivedFromPersonal()));
      }
    }
    Map<String, String> exempted = new LinkedHashMap<>();
    for (var e : p.exempt().entrySet()) {
      String why = added.remove(e.getKey());
      if (why == null && (byName.get(e.getKey()) == null || !byName.get(e.getKey()).inProduct())) {
        throw new PipelineException(src, p.line(), "exempt: '" + e.getKey() + "' is not a column of the product: "
            + "nothing to exempt");
      }
      if (why == null && p.quasiIdentifiers().contains(e.getKey())) {
        throw new PipelineException(src, p.line(), "exempt: '" + e.getKey() + "' is declared a quasi-identifier: "
            + "nothing to exempt");
      }
      if (why == null) {
        continue; // the measure of the input decides (below)
      }
      exempted.put(e.getKey(), e.getValue());
      warnings.add(e.getKey() + " is not counted as a quasi-identifier although " + why + " (the operator's reason: "
          + e.getValue() + ")");
    }
    BoundPipeline.Privacy bound = new BoundPipeline.Privacy(p.k(), p.l(), p.sensitive(), p.weightColumn(),
        p.quasiIdentifiers(), added, exempted);
    if (p.personKey() != null) {
      BoundColumn person = byName.get(p.personKey());
      if (person == null || !person.inProduct()) {
        throw new PipelineException(src, p.line(), "personKey '" + p.personKey() + "' is not a column of the product "
            + "(keep the person's pseudonym in it, or leave personKey out to count rows)");
      }
      if (p.weightColumn() != null) {
        throw new PipelineException(src, p.line(), "personKey and countColumn exclude each other: an aggregate's "
            + "count column already counts the people behind each row");
      }
      if (!p.optimize()) {
        // Found by a probe: without the search the classes counted rows while the pipeline said people.
        throw new PipelineException(src, p.line(), "personKey counts people in the generalization search, which "
            + "runs with optimize: true" + (d.incremental() ? " (and in mode full: an incremental run does not see "
            + "the whole product)" : "") + "; without it the check would count rows while the pipeline says people: "
            + "add optimize: true, or leave personKey out");
      }
      if (analysis.joins()) {
        checkPersonKey(src, p, person, byName, inputs); // without a join, a key that is no person counts rows at most
      }
    } else if (analysis.joins() && p.weightColumn() == null) {
      throw new PipelineException(src, p.line(), "the transform joins inputs, and a join repeats a row once per "
          + "match (a self-join made each person a class of 15: found by a probe), so rows are no count of people: "
          + "name the column that carries the person's identifier, pseudonymized, as personKey (with optimize: true)");
    }
    Map<String, String> measured = undeclared(d, columns, bound, inputs, sql, sqlLine, authorization);
    for (var e : p.exempt().entrySet()) {
      if (exempted.containsKey(e.getKey())) {
        continue;
      }
      String why = measured.remove(e.getKey());
      if (why == null) {
        // what the input shows today may change with its next snapshot: not an error
        warnings.add("exempt: " + e.getKey() + " places no one in a group below k in this input: nothing to exempt "
            + "now");
        continue;
      }
      exempted.put(e.getKey(), e.getValue());
      warnings.add(e.getKey() + " is not counted as a quasi-identifier although it " + why.replaceFirst("^measured: ",
          "") + " (the operator's reason: " + e.getValue() + ")");
    }
    if (!measured.isEmpty() || !exempted.isEmpty()) {
      added.putAll(measured);
      bound = new BoundPipeline.Privacy(p.k(), p.l(), p.sensitive(), p.weightColumn(), p.quasiIdentifiers(), added,
          exempted);
    }
    if (d.incremental()) {
      bound = keptQuasiIdentifiers(d, bound, byName);
    }
    for (Hierarchies.Spec h : p.hierarchies().values()) {
      if (!bound.quasiIdentifiers().contains(h.column())) {
        throw new PipelineException(src, h.line(), "hierarchy for '" + h.column() + "', which is not a "
            + "quasi-identifier (they are " + String.join(", ", bound.quasiIdentifiers()) + ")");
      }
    }
    if (!p.optimize()) {
      return withRisk(d, bound, byName);
    }
    if (d.incremental()) {
      throw new PipelineException(src, d.modeLine(), "privacy.optimize searches the generalization of the whole "
          + "product, which an incremental run does not see: use mode full");
    }
    List<Hierarchy> hierarchies = new ArrayList<>();
    for (String q : bound.quasiIdentifiers()) {
      BoundColumn c = byName.get(q);
      Hierarchies.Spec spec = p.hierarchies().get(q);
      String kind = c.policy().kind();
      if (kind.equals("encrypt") || kind.equals("pseudonymize") || kind.equals("suppress")) {
        throw new PipelineException(src, spec != null ? spec.line() : p.line(), "quasi-identifier '" + q + "' has policy "
            + kind + ": the generalization search coarsens values, which a "
            + (kind.equals("suppress") ? "blanked column" : "per-person ciphertext or pseudonym") + " does not allow; "
            + "give it a mask or generalize policy, or leave optimize out");
      }
      try {
        hierarchies.add(Hierarchies.of(spec, c.policy(), c.sqlType().type()));
      } catch (IllegalArgumentException | PolicyException e) {
        throw new PipelineException(src, spec != null ? spec.line() : p.line(), "hierarchy of '" + q + "': "
            + e.getMessage());
      }
    }
    return withRisk(d, new BoundPipeline.Privacy(p.k(), p.l(), p.sensitive(), p.weightColumn(), p.quasiIdentifiers(),
        added, exempted, new BoundPipeline.Optimization(p.suppressionLimit(), p.personKey(), hierarchies)), byName);
  }

  /**
   * Over a join, the person key must carry a personal input column (a record number is not a person: a probe counted
   * a self-join's rows by the other side's record numbers), and of the same input as every personal value the
   * quasi-identifiers hold: the people counted are the people they describe.
   */
  private static void checkPersonKey(String src, PrivacySpec p, BoundColumn person, Map<String, BoundColumn> byName,
      List<BoundInput> inputs) {
    java.util.Set<String> people = new java.util.TreeSet<>();
    for (SqlSubset.Source s : person.lineage()) {
      if (s.carrying() && personal(inputs, s) != null) {
        people.add(s.alias());
      }
    }
    if (people.isEmpty()) {
      throw new PipelineException(src, p.line(), "personKey '" + p.personKey() + "' carries no personal column of "
          + "the inputs: it must be the person's identifier (an ID number, pseudonymized), or the classes would "
          + "count something other than people");
    }
    for (String q : p.quasiIdentifiers()) {
      for (SqlSubset.Source s : byName.get(q).lineage()) {
        if (personal(inputs, s) != null && !people.contains(s.alias())) {
          throw new PipelineException(src, p.line(), "quasi-identifier '" + q + "' holds personal data of input "
              + s.alias() + " (" + s.column() + "), but personKey '" + p.personKey() + "' counts the people of "
              + String.join(", ", people) + ": count the people the quasi-identifiers describe");
        }
      }
    }
  }

  /**
   * The privacy check with its risk threshold and, when the pipeline names one, its population table pinned to the
   * table's current snapshot: a table of the lakehouse (ods.* or product.*) with a column of each quasi-identifier's
   * name, of the type the transform gives that column (the column's policy and generalization then apply to it as
   * to the product's values).
   */
  private BoundPipeline.Privacy withRisk(PipelineDefinition d, BoundPipeline.Privacy privacy,
      Map<String, BoundColumn> byName) {
    PrivacySpec p = d.privacy();
    BoundPipeline.Population population = null;
    if (p.population() != null) {
      String src = d.source();
      TableIdentifier id = TableIdentifier.parse(p.population());
      String ns = id.namespace().toString();
      if (!ns.equals(Zone.ODS.namespaceName()) && !ns.equals(Zone.PRODUCT.namespaceName())) {
        throw new PipelineException(src, p.populationLine(), "the population is a granted resource (ods.*) or a "
            + "product (product.*), not " + ns + ".*");
      }
      if (!lakehouse.exists(id)) {
        throw new PipelineException(src, p.populationLine(), "no population table " + p.population()
            + " (see: dataops table list)");
      }
      Table table = lakehouse.load(id);
      Snapshot snapshot = io.dataops.lakehouse.maintenance.SameRows.asOf(table, table.currentSnapshot());
      if (snapshot == null) {
        throw new PipelineException(src, p.populationLine(), "population table " + p.population() + " has no data "
            + "yet");
      }
      Schema schema = table.schemas().get(snapshot.schemaId());
      Map<String, ColumnType> columns = new LinkedHashMap<>();
      for (String q : privacy.quasiIdentifiers()) {
        Types.NestedField f = schema.findField(q);
        ColumnType want = byName.get(q).sqlType();
        ColumnType t = f == null ? null : ColumnType.fromIceberg(f.type());
        if (t == null || t.type() != want.type()) {
          throw new PipelineException(src, p.populationLine(), "population table " + p.population() + " needs a "
              + "column '" + q + "' of type " + want + " (a quasi-identifier of the product, as the transform gives "
              + "it)" + (f == null ? "; it has " + String.join(", ", schema.columns().stream()
                  .map(Types.NestedField::name).toList()) : "; it is " + f.type()));
        }
        columns.put(q, want);
      }
      population = new BoundPipeline.Population(id, snapshot.snapshotId(), columns);
    }
    if (p.tCloseness() != null
        && p.tCloseness().distance() == io.dataops.pipelines.privacy.Closeness.Distance.ORDERED) {
      ValueType type = byName.get(p.tCloseness().column()).outputType().type();
      if (type == ValueType.STRING || type == ValueType.BOOLEAN) {
        throw new PipelineException(d.source(), p.line(), "tCloseness: ordered distance orders numbers and dates; '"
            + p.tCloseness().column() + "' is " + type.name().toLowerCase(java.util.Locale.ROOT)
            + " (use distance: equal)");
      }
    }
    return new BoundPipeline.Privacy(privacy.k(), privacy.l(), privacy.sensitive(), privacy.weightColumn(),
        privacy.declared(), privacy.added(), privacy.exempted(), privacy.optimization(), population,
        p.riskThreshold(), p.tCloseness());
  }

  /**
   * The kept columns that are quasi-identifiers nobody declared: measured in one pass over the transform's result on
   * the pinned inputs, as the product would show them (after each column's policy), a column whose smallest group of
   * people sharing one value (distinct persons with a person key, else rows, or the count column's people) is below k
   * places people in groups an attacker can single out. Not measured: the quasi-identifiers already counted, the
   * person key, pseudonyms and ciphertexts (one per person by design: linkage, not grouping, is their risk), the
   * sensitive and count columns, blanked columns. Each found column with why (a count, never a value), in column
   * order; with {@code undeclaredQuasiIdentifiers: refuse} the first refuses the pipeline at the column's line. A
   * column the operator exempts (with the reason) is measured too: the caller exempts it if found, else refuses the
   * exemption. With a cache ({@link #measuresCachedIn}) a measure of the same snapshots, SQL, columns and policies is
   * taken from it instead of reading the inputs again.
   */
  private Map<String, String> undeclared(PipelineDefinition d, List<BoundColumn> columns, BoundPipeline.Privacy bound,
      List<BoundInput> inputs, String sql, int sqlLine, Authorization authorization) {
    PrivacySpec p = d.privacy();
    List<String> already = bound.quasiIdentifiers();
    List<BoundColumn> candidates = columns.stream().filter(c -> c.inProduct() && !already.contains(c.name())
        && !c.name().equals(p.personKey()) && !c.name().equals(p.weightColumn()) && !c.name().equals(p.sensitive())
        && !bound.exempted().containsKey(c.name())
        && !List.of("pseudonymize", "encrypt", "suppress").contains(c.policy().kind())).toList();
    if (candidates.isEmpty()) {
      return Map.of();
    }
    Map<String, BoundColumn> byName = new LinkedHashMap<>();
    columns.forEach(c -> byName.put(c.name(), c));
    BoundColumn person = p.personKey() == null ? null : byName.get(p.personKey());
    BoundColumn weight = p.weightColumn() == null ? null : byName.get(p.weightColumn());
    // people are counted up to k (the class counter keeps at most 127 person hashes per value)
    int k = Math.min(p.k(), 127);
    // The caller's grant first: no row is read (nor a measure of rows taken from the cache) without it.
    List<ReadGrant> grants = authorization.grants();
    List<PinnedInput> pinned = inputs.stream().map(in -> PinnedInput.governed(lakehouse, in, grants,
        () -> PinnedInput.of(lakehouse, in), d)).toList();
    SmallestGroupsCache.Key key = measures == null ? null
        : measureKey(d, pinned, sql, candidates, person, weight, k);
    Map<String, Long> smallest = key == null ? null : measures.load(key).orElse(null);
    if (smallest == null) {
      smallest = measure(d, pinned, sql, sqlLine, candidates, person, weight, k, lakehouse, true);
      if (key != null) {
        try {
          // entries of snapshots the first input no longer has (expired, or the table dropped) go first
          measures.prune(lakehouse, List.of(inputs.get(0).table().toString()));
          measures.save(key, smallest);
        } catch (IOException e) {
          // only the next validation's time depends on it
          org.slf4j.LoggerFactory.getLogger(PipelineValidator.class).warn("cannot keep the measure of {} ({})",
              d.name(), e.getMessage());
        }
      }
    }
    String unit = person != null ? "people (distinct " + p.personKey() + ")"
        : weight != null ? "people (by " + p.weightColumn() + ")" : "rows";
    Map<String, String> found = new LinkedHashMap<>();
    for (BoundColumn c : candidates) {
      Long n = smallest.get(c.name());
      if (n == null || n >= k) {
        continue;
      }
      String why = "places people in groups as small as " + n + " " + unit + " sharing one value in the input "
          + "(fewer than k=" + p.k() + ")";
      if (p.refuseUndeclared() && !p.exempt().containsKey(c.name())) {
        throw new PipelineException(d.source(), c.line(), "column '" + c.name() + "' is a quasi-identifier the "
            + "privacy section does not declare: it " + why + "; declare it in quasiIdentifiers, generalize or "
            + "remove it (undeclaredQuasiIdentifiers: refuse)");
      }
      found.put(c.name(), "measured: " + why);
    }
    return found;
  }

  /**
   * Each candidate column's smallest group over the transform's result on the pinned inputs, each value as the
   * product would show it (after the column's policy), in candidate order. With {@code inDuckDb}, the columns the
   * product shows as they are, of types DuckDB groups exactly as the value hashes of the row-by-row pass do, are
   * counted by one grouped query inside DuckDB (a 1M-row input's kept column took a second row by row); the others,
   * and every column without it, in one pass over the rows here.
   */
  static Map<String, Long> measure(PipelineDefinition d, List<PinnedInput> pinned, String sql, int sqlLine,
      List<BoundColumn> candidates, BoundColumn person, BoundColumn weight, int k, Lakehouse lakehouse,
      boolean inDuckDb) {
    // with people, groups are counted in distinct persons and the weights play no part
    BoundColumn counted = person != null ? null : weight;
    boolean groupable = inDuckDb && (person == null || GROUPED_ALIKE.contains(person.sqlType().type()))
        && (counted == null || counted.policy() instanceof Keep && (counted.sqlType().type() == ValueType.INT
            || counted.sqlType().type() == ValueType.LONG));
    List<BoundColumn> inSql = groupable ? candidates.stream().filter(c -> c.policy() instanceof Keep
        && GROUPED_ALIKE.contains(c.sqlType().type())).toList() : List.of();
    List<BoundColumn> byRows = candidates.stream().filter(c -> !inSql.contains(c)).toList();
    Map<String, Long> found = new java.util.HashMap<>();
    if (!inSql.isEmpty()) {
      Path scratch = null;
      try {
        scratch = io.dataops.core.files.ProcessScratch.newFolder("validate-");
        found.putAll(TransformScan.smallestGroups(lakehouse, pinned, sql, inSql.stream().map(BoundColumn::name)
            .toList(), inSql.stream().map(BoundColumn::sqlType).toList(), person == null ? null : person.name(),
            person == null ? null : person.sqlType(), counted == null ? null : counted.name(), k,
            scratch.resolve("duck"), d.source(), sqlLine));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot measure the product's columns", e);
      } finally {
        deleteTree(scratch);
      }
    }
    if (!byRows.isEmpty()) {
      found.putAll(measureByRows(d, pinned, sql, sqlLine, byRows, person, weight, k, lakehouse));
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (BoundColumn c : candidates) {
      Long n = found.get(c.name());
      if (n != null) {
        out.put(c.name(), n);
      }
    }
    return out;
  }

  /** Each of {@code candidates}' smallest group, in one pass over the transform's rows. */
  private static Map<String, Long> measureByRows(PipelineDefinition d, List<PinnedInput> pinned, String sql,
      int sqlLine, List<BoundColumn> candidates, BoundColumn person, BoundColumn weight, int k, Lakehouse lakehouse) {
    List<BoundColumn> read = new ArrayList<>(candidates);
    if (person != null) {
      read.add(person);
    }
    if (weight != null) {
      read.add(weight);
    }
    Path scratch = null;
    try {
      scratch = io.dataops.core.files.ProcessScratch.newFolder("validate-");
      try (TransformScan scan = TransformScan.of(lakehouse, pinned, sql, read.stream().map(BoundColumn::name)
          .toList(), read.stream().map(BoundColumn::sqlType).toList(), scratch.resolve("duck"), d.source(), sqlLine);
          SmallestGroups groups = new SmallestGroups(candidates.stream().map(BoundColumn::name).toList(),
              person != null, k, scratch.resolve("groups"), MEASURE_MEMORY)) {
        Object[] values = new Object[candidates.size()];
        for (Object[] row = scan.next(); row != null; row = scan.next()) {
          for (int i = 0; i < values.length; i++) {
            values[i] = shown(candidates.get(i).policy(), row[i]);
          }
          long w = 1;
          if (weight != null) {
            Object n = shown(weight.policy(), row[read.size() - 1]);
            w = n == null ? 0 : ((Number) n).longValue();
          }
          groups.add(values, person == null ? null : row[candidates.size()], w);
        }
        return groups.finish();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot measure the product's columns", e);
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * What the measure depends on: the pinned snapshots and their files, each input's columns and filter, the SQL, the
   * measured columns with their types and policies as written, the person and count columns, k, the date of
   * date-relative policies, and the code that reads, applies and counts.
   */
  private static SmallestGroupsCache.Key measureKey(PipelineDefinition d, List<PinnedInput> pinned, String sql,
      List<BoundColumn> candidates, BoundColumn person, BoundColumn weight, int k) {
    List<SmallestGroupsCache.Input> inputs = new ArrayList<>();
    for (PinnedInput in : pinned) {
      BoundInput b = in.input();
      // the rows read: the grant's row filter as well as the pipeline's own
      inputs.add(new SmallestGroupsCache.Input(b.table().toString(), b.snapshotId(), in.dataFiles(),
          b.columns().entrySet().stream().map(e -> b.alias() + "." + e.getKey() + "\t" + e.getValue()).toList(),
          in.grantFilter() == null ? b.filter() : "grant: " + in.grantFilter() + "\nfilter: " + b.filter()));
    }
    List<Class<?>> code = new ArrayList<>(List.of(PipelineValidator.class, TransformScan.class));
    candidates.forEach(c -> code.add(c.policy().getClass()));
    if (weight != null) {
      code.add(weight.policy().getClass());
    }
    return new SmallestGroupsCache.Key(inputs, sql, candidates.stream().map(c -> described(d, c)).toList(),
        person == null ? null : person.name() + "\t" + person.sqlType(), weight == null ? null : described(d, weight),
        k, String.valueOf(d.asOf()), SmallestGroupsCache.codeDigest(code.toArray(Class<?>[]::new)));
  }

  /** A column as the measure reads it: name, type, and its policy as written (keep when it has none). */
  private static String described(PipelineDefinition d, BoundColumn c) {
    PolicySpec spec = d.policies().get(c.name());
    return c.name() + "\t" + c.sqlType() + "\t" + (spec == null ? "keep" : spec.kind() + "\t" + spec.variant()
        + "\t" + (spec.args() == null ? "{}" : new java.util.TreeMap<>(spec.args()).toString())) + "\t"
        + c.policy().describe();
  }

  /** A value as the product shows it and the privacy check groups it; one its policy cannot treat becomes null. */
  private static Object shown(ColumnPolicy policy, Object value) {
    try {
      return policy.quasiIdentifierValue(policy.apply(value));
    } catch (io.dataops.pipelines.desensitize.UnfitValueException e) {
      return null;
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a scratch folder under the temporary directory
    }
  }

  /**
   * Quasi-identifiers the search may generalize are text in the product whatever their policy gives (a year, a
   * bucket): the chosen level is only known when the run has counted the classes, the table's schema before.
   */
  private static List<BoundColumn> generalizedColumns(List<BoundColumn> columns, BoundPipeline.Privacy privacy) {
    List<BoundColumn> out = new ArrayList<>();
    for (BoundColumn c : columns) {
      out.add(!privacy.quasiIdentifiers().contains(c.name()) || c.outputType().type() == ValueType.STRING ? c
          : new BoundColumn(c.name(), c.sqlType(), c.policy(), ColumnType.of(ValueType.STRING), c.lineage(),
              c.personalSources(), c.derivedFromPersonal(), c.line()));
    }
    return out;
  }
}
