package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.ClassCounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * k-anonymity over the whole product of an incremental pipeline, not per increment: the product's class counts are a
 * saved mergeable state ({@link ClassCounts}), a file of the warehouse that the product snapshot of each version names
 * ({@link #SUMMARY_CLASSES}). A run adds the counts of its increment to the saved ones, writes the sum as the next
 * version's state (before the commit: no version is ever without its state) and judges every class by its total:
 * rows of classes below k are held back, not published ({@code HeldRows} in products). A full run with privacy saves
 * its own counts and suppressed rows the same way ({@link #keepsState}): an incremental run continues from its version.
 */
public final class ProductClasses {
  /** The snapshot summary property naming the product's class counts after that version. */
  public static final String SUMMARY_CLASSES = "dataops.increment.classes";
  /** The snapshot summary property naming the file of rows held back after that version (absent: none). */
  public static final String SUMMARY_HELD = "dataops.increment.held";
  /** The k an incremental product's classes were judged with (its snapshot summary's key). */
  public static final String SUMMARY_K = "dataops.increment.k";

  private ProductClasses() {}

  /**
   * The verdict over the product's classes and where their counts are saved.
   *
   * @param location the file holding the product's class counts with this run's (for the version's snapshot)
   */
  public record Judged(AnonymityCheck.Verdict verdict, String location) {}

  /**
   * Adds the saved counts of the product to those this run counted ({@code counted}, which the caller closes), saves
   * the sum and gives the verdict over it.
   */
  public static Judged judge(RunPlan plan, Lakehouse lakehouse, ClassCounts counted, Path spillDir, long memoryBudget) {
    String saved = plan.increment().base().get(SUMMARY_CLASSES);
    if (saved == null && plan.increment().baseSnapshot() != null) {
      // its rows were judged without the classes to come: k over the whole product could not be told
      throw new BadInputException("the current version of product " + plan.product() + " was made without the "
          + "class counts an incremental run with privacy keeps (without privacy, with privacy.optimize, or before "
          + "full runs kept them): run it in mode full again, or give this pipeline a new product name to go on "
          + "incrementally");
    }
    String savedK = plan.increment().base().get(SUMMARY_K);
    int k = plan.pipeline().privacy().k();
    if (savedK != null && Integer.parseInt(savedK) != k) {
      // A smaller k would release held rows the published classes were judged without (weakening the product); a
      // larger one leaves published classes below it. Either way the whole product would hold no one k.
      throw new BadInputException("the product " + plan.product() + " was published with k = " + savedK + ", and "
          + "this pipeline declares k = " + k + ": an incremental run keeps the k of the product's classes; declare k: "
          + savedK + ", or run the pipeline in mode full to rebuild the product");
    }
    if (saved != null && !lakehouse.io().newInputFile(saved).exists()) {
      throw missingState(plan, "class counts", saved);
    }
    try {
      if (saved != null) {
        try (InputStream in = lakehouse.io().newInputFile(saved).newStream();
            ClassCounts before = ClassCounts.readFrom(in, spillDir, memoryBudget)) {
          List<String> newlyRare = new ArrayList<>(counted.quasiIdentifiers());
          newlyRare.removeAll(before.quasiIdentifiers());
          if (!newlyRare.isEmpty()) {
            // a column the saved counts do not tell apart: the published classes may split below k by it
            throw new BadInputException("the product " + plan.product() + " was made without quasi-identifier"
                + (newlyRare.size() > 1 ? "s " : " ") + String.join(", ", newlyRare) + ", which this run counts ("
                + (newlyRare.size() > 1 ? "they place" : "it places") + " people of the input in groups below k, or "
                + "the pipeline declares " + (newlyRare.size() > 1 ? "them" : "it") + "): the classes already "
                + "published were not judged by " + (newlyRare.size() > 1 ? "them" : "it") + "; run the pipeline in "
                + "mode full to rebuild the product");
          }
          counted.merge(before);
        } catch (IllegalArgumentException e) {
          throw new BadInputException("the product " + plan.product() + " was made with other quasi-identifiers ("
              + e.getMessage() + "): its saved class counts do not add up with this run's; run the pipeline in mode "
              + "full to rebuild the product");
        }
      }
      return save(plan, lakehouse, counted, spillDir, memoryBudget);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or save the class counts of product " + plan.product(), e);
    }
  }

  /**
   * Whether a run of {@code plan} keeps the product's class counts and the rows of its small classes as the state an
   * incremental run continues from: with privacy, in either mode (a full run's suppressed rows are the held rows of
   * its version), unless the generalization search chose the product's classes (counts over its lattice, which mode
   * incremental refuses).
   */
  public static boolean keepsState(RunPlan plan) {
    return plan.pipeline().privacy() != null && plan.pipeline().privacy().optimization() == null;
  }

  /**
   * Saves {@code counted} (the whole product's class counts: an incremental run's sum, or a full run's own) in the
   * state folder for the version's snapshot to name, and gives the verdict over them. Written before the commit: no
   * version is ever without its state, and a run killed before its commit leaves an orphan file only.
   */
  public static Judged save(RunPlan plan, Lakehouse lakehouse, ClassCounts counted, Path spillDir, long memoryBudget) {
    String location = stateFolder(lakehouse, plan) + "classes-" + UUID.randomUUID() + ".bin";
    try {
      try (OutputStream out = lakehouse.io().newOutputFile(location).create()) {
        counted.writeTo(out);
      }
      try (AnonymityCheck check = plan.newAnonymityCheck(spillDir, memoryBudget)) {
        return new Judged(check.finish(counted), location);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the class counts of product " + plan.product(), e);
    }
  }

  /**
   * The quasi-identifiers, in order, of the class counts the current version of incremental product {@code product}
   * saved; null when it saved none (no version yet, or made in mode full or without privacy). The header is read
   * alone. A missing file is left to {@link #judge}, which refuses it.
   */
  public static List<String> savedQuasiIdentifiers(Lakehouse lakehouse, String product) {
    TableIdentifier id = Increment.productTable(product);
    Snapshot current = lakehouse.exists(id) ? lakehouse.load(id).currentSnapshot() : null;
    String saved = current == null ? null : current.summary().get(SUMMARY_CLASSES);
    if (saved == null || !lakehouse.io().newInputFile(saved).exists()) {
      return null;
    }
    try (InputStream in = lakehouse.io().newInputFile(saved).newStream()) {
      return ClassCounts.quasiIdentifiersOf(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the class counts of product " + product, e);
    }
  }

  /**
   * A state file the product's current version names is gone (removed outside the platform: a destruction removes
   * only the state of versions it destroys): refused rather than read as empty, which would publish rows k-anonymity
   * held back or judge classes without their counts.
   */
  public static BadInputException missingState(RunPlan plan, String what, String location) {
    return new BadInputException("the " + what + " of product " + plan.product() + " that its current version names ("
        + location.substring(location.lastIndexOf('/') + 1) + ") are gone: an incremental run cannot continue from "
        + "it; rebuild the product with a run in mode full, or give this pipeline a new product name to start one");
  }

  /**
   * The verdict over class counts {@link #judge} saved (a restarted run's publish: the first pass's own scratch
   * files may be gone with the process that made them).
   */
  public static Judged judged(RunPlan plan, Lakehouse lakehouse, String location, Path spillDir, long memoryBudget) {
    try (InputStream in = lakehouse.io().newInputFile(location).newStream();
        ClassCounts total = ClassCounts.readFrom(in, spillDir, memoryBudget);
        AnonymityCheck check = plan.newAnonymityCheck(spillDir, memoryBudget)) {
      return new Judged(check.finish(total), location);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the class counts of product " + plan.product(), e);
    }
  }

  /**
   * Where an incremental product's states are kept: a folder of the warehouse outside the product table's own (table
   * maintenance removes files there that no snapshot names).
   */
  public static String stateFolder(Lakehouse lakehouse, RunPlan plan) {
    return stateFolder(lakehouse, plan.product());
  }

  /** The state folder of a product by its name (a destruction removes the states of the versions it destroys). */
  public static String stateFolder(Lakehouse lakehouse, String product) {
    String warehouse = lakehouse.config().warehouse();
    return (warehouse.endsWith("/") ? warehouse : warehouse + "/") + ".dataops-state/" + product + "/";
  }
}
