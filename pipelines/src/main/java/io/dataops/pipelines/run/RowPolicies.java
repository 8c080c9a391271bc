package io.dataops.pipelines.run;

import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.desensitize.UnfitValueException;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.lattice.Hierarchy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Applies a bound pipeline's policies to rows of the transform's result: the one piece of row logic both executors
 * share, so the same input gives the same product on either. Thread-safe.
 */
public final class RowPolicies {
  /** The transform's column names, in its row order. */
  private final List<String> columns;
  private final ColumnPolicy[] policies;
  /** For each product column, its index in the transform's row. */
  private final int[] productToSql;
  private final List<String> productNames;
  private final int[] qi;
  private final int sensitive;
  private final int weight;
  private final int person;
  /** Each quasi-identifier's hierarchy, with the generalization search (else null). */
  private final List<Hierarchy> hierarchies;
  private final AtomicLongArray unfit;

  public RowPolicies(BoundPipeline p) {
    this(p.columns().stream().map(BoundColumn::name).toList(), p.columns().stream().map(BoundColumn::policy).toList(),
        p.privacy() == null ? List.of() : p.privacy().quasiIdentifiers(),
        p.privacy() == null ? null : p.privacy().sensitive(), p.privacy() == null ? null : p.privacy().weightColumn(),
        p.privacy() == null ? null : p.privacy().optimization());
  }

  RowPolicies(List<String> columns, List<ColumnPolicy> policies, List<String> quasiIdentifiers, String sensitive,
      String weightColumn) {
    this(columns, policies, quasiIdentifiers, sensitive, weightColumn, null);
  }

  /**
   * The transform's columns with their policies (in row order) and the privacy check's product columns: what a
   * {@link PolicyDescription} rebuilds on a task.
   */
  RowPolicies(List<String> columns, List<ColumnPolicy> policies, List<String> quasiIdentifiers, String sensitive,
      String weightColumn, BoundPipeline.Optimization optimization) {
    this.columns = List.copyOf(columns);
    this.policies = policies.toArray(ColumnPolicy[]::new);
    List<Integer> kept = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (this.policies[i].keepsColumn()) {
        kept.add(i);
        names.add(columns.get(i));
      }
    }
    this.productToSql = kept.stream().mapToInt(Integer::intValue).toArray();
    this.productNames = List.copyOf(names);
    this.qi = quasiIdentifiers.stream().mapToInt(names::indexOf).toArray();
    this.sensitive = sensitive == null ? -1 : names.indexOf(sensitive);
    this.weight = weightColumn == null ? -1 : names.indexOf(weightColumn);
    this.person = optimization == null || optimization.personKey() == null ? -1
        : names.indexOf(optimization.personKey());
    this.hierarchies = optimization == null ? null : optimization.hierarchies();
    this.unfit = new AtomicLongArray(columns.size());
  }

  public List<String> productColumns() {
    return productNames;
  }

  /** The product row for one transform row; a value its policy cannot treat becomes null and is counted. */
  public Object[] apply(Object[] sqlRow) {
    Object[] out = new Object[productToSql.length];
    for (int i = 0; i < productToSql.length; i++) {
      int c = productToSql[i];
      try {
        out[i] = policies[c].apply(sqlRow[c]);
      } catch (UnfitValueException e) {
        unfit.incrementAndGet(c);
        out[i] = null;
      }
    }
    return out;
  }

  /**
   * Only the product columns the privacy check needs (quasi-identifiers, sensitive, weight), the others left null: the
   * first pass does not pay for pseudonyms and encryption it does not use.
   */
  public Object[] applyForPrivacy(Object[] sqlRow) {
    Object[] out = new Object[productToSql.length];
    for (int i : qi) {
      out[i] = one(sqlRow, i);
    }
    if (sensitive >= 0) {
      out[sensitive] = one(sqlRow, sensitive);
    }
    if (weight >= 0) {
      out[weight] = one(sqlRow, weight);
    }
    if (person >= 0) {
      out[person] = one(sqlRow, person);
    }
    return out;
  }

  /** The transform columns {@link #applyForPrivacy} reads (indexes into the transform's row), in order. */
  public int[] privacySqlColumns() {
    java.util.TreeSet<Integer> needed = new java.util.TreeSet<>();
    for (int i : qi) {
      needed.add(productToSql[i]);
    }
    if (sensitive >= 0) {
      needed.add(productToSql[sensitive]);
    }
    if (weight >= 0) {
      needed.add(productToSql[weight]);
    }
    if (person >= 0) {
      needed.add(productToSql[person]);
    }
    return needed.stream().mapToInt(Integer::intValue).toArray();
  }

  private Object one(Object[] sqlRow, int productIndex) {
    int c = productToSql[productIndex];
    try {
      return policies[c].apply(sqlRow[c]);
    } catch (UnfitValueException e) {
      return null; // counted by the pass that writes the product
    }
  }

  /** The quasi-identifier tuple of a product row, as the privacy check groups it. */
  public Object[] quasiIdentifiers(Object[] productRow) {
    Object[] out = new Object[qi.length];
    for (int i = 0; i < qi.length; i++) {
      out[i] = policies[productToSql[qi[i]]].quasiIdentifierValue(productRow[qi[i]]);
    }
    return out;
  }

  /**
   * The quasi-identifier tuple, as {@link AnonymityCheck.Verdict#publish} groups it, of a row from outside the
   * transform (a person of a population table) whose quasi-identifiers' transform values are {@code raw} (in
   * quasi-identifier order): each column's policy applied, then the chosen {@code levels} (null: none).
   */
  public Object[] quasiIdentifiersOfRaw(Object[] raw, int[] levels) {
    Object[] product = new Object[productToSql.length];
    for (int i = 0; i < qi.length; i++) {
      try {
        product[qi[i]] = policies[productToSql[qi[i]]].apply(raw[i]);
      } catch (UnfitValueException e) {
        product[qi[i]] = null; // as the product's rows: a value its policy cannot treat is published empty
      }
    }
    return quasiIdentifiers(levels == null ? product : generalize(product, levels));
  }

  /**
   * The row with its quasi-identifiers generalized to {@code levels} (their hierarchies' levels, in quasi-identifier
   * order), each as text: the generalization search's chosen node, applied before suppression.
   */
  public Object[] generalize(Object[] productRow, int[] levels) {
    if (hierarchies == null) {
      throw new IllegalStateException("the pipeline has no generalization search (privacy.optimize)");
    }
    Object[] out = productRow.clone();
    for (int i = 0; i < qi.length; i++) {
      String text = ValueType.text(policies[productToSql[qi[i]]].quasiIdentifierValue(productRow[qi[i]]));
      out[qi[i]] = hierarchies.get(i).generalize(text, levels[i]);
    }
    return out;
  }

  /** The person a product row belongs to (the person key's value), or null when classes count rows. */
  public Object person(Object[] productRow) {
    return person < 0 ? null : productRow[person];
  }

  public Object sensitive(Object[] productRow) {
    return sensitive < 0 ? null : productRow[sensitive];
  }

  /** How many people a product row stands for: its count column, else 1. */
  public long weight(Object[] productRow) {
    if (weight < 0) {
      return 1;
    }
    Object w = productRow[weight];
    return w == null ? 0 : ((Number) w).longValue();
  }

  /** Values suppressed because their policy could not treat them, per transform column (only those with some). */
  public java.util.Map<String, Long> unfitCounts() {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (unfit.get(i) > 0) {
        out.put(columns.get(i), unfit.get(i));
      }
    }
    return out;
  }

  /** Adds counts carried over from an earlier attempt of the same run (a restarted job). */
  public void addUnfit(java.util.Map<String, Long> earlier) {
    for (int i = 0; i < columns.size(); i++) {
      Long n = earlier.get(columns.get(i));
      if (n != null) {
        unfit.addAndGet(i, n);
      }
    }
  }

  /** Which product columns keep identifier shapes on purpose (exempt from the leak check's shape test). */
  public boolean[] identifierShaped() {
    boolean[] out = new boolean[productToSql.length];
    for (int i = 0; i < productToSql.length; i++) {
      out[i] = policies[productToSql[i]].keepsIdentifierShape();
    }
    return out;
  }
}
