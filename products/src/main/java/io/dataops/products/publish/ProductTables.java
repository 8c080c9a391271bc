package io.dataops.products.publish;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types.NestedField;

/**
 * The product's Iceberg table, {@code product.<name>}: one snapshot per version, each holding exactly that version's
 * rows. When a pipeline's columns change between versions the table's schema follows (columns added, dropped, or
 * widened where Iceberg allows); the change is committed together with the version's rows.
 */
public final class ProductTables {
  private ProductTables() {}

  public static TableIdentifier id(String product) {
    return TableIdentifier.of(Zone.PRODUCT.namespaceName(), product.replace('-', '_'));
  }

  public static Schema schemaOf(BoundPipeline p) {
    List<NestedField> fields = new ArrayList<>();
    int id = 1;
    for (BoundColumn c : p.productColumns()) {
      fields.add(NestedField.optional(id++, c.name(), c.outputType().toIceberg(), c.policy().describe()));
    }
    return new Schema(fields);
  }

  /** Creates the product's table when it is new (empty: no snapshot, so no version is visible yet). */
  public static Table createOrLoad(Lakehouse lakehouse, BoundPipeline p) {
    checkOwner(lakehouse, p);
    TableIdentifier id = id(p.definition().product());
    return lakehouse.createOrLoad(id, schemaOf(p), Map.of(PROP_PRODUCT, p.definition().product(),
        PROP_PIPELINE, p.definition().name()));
  }

  public static final String PROP_PRODUCT = "dataops.product";
  public static final String PROP_PIPELINE = "dataops.pipeline";

  /**
   * A product belongs to the pipeline that made it first: another pipeline (or a product name that differs only in
   * '-' and '_', which share a table) must not overwrite its versions.
   */
  public static void checkOwner(Lakehouse lakehouse, BoundPipeline p) {
    TableIdentifier id = id(p.definition().product());
    if (!lakehouse.exists(id)) {
      return;
    }
    Map<String, String> props = lakehouse.load(id).properties();
    String product = props.get(PROP_PRODUCT);
    String pipeline = props.get(PROP_PIPELINE);
    if (product != null && !product.equals(p.definition().product())) {
      throw new io.dataops.core.BadInputException("the table " + id + " holds the product '" + product
          + "': choose another product name than '" + p.definition().product() + "'");
    }
    if (pipeline != null && !pipeline.equals(p.definition().name())) {
      throw new io.dataops.core.BadInputException("the product '" + p.definition().product()
          + "' is made by the pipeline '" + pipeline + "', not '" + p.definition().name()
          + "': give this pipeline its own product name");
    }
  }

  /**
   * The table's schema changed to hold this version's columns, not yet committed: {@code apply()} gives the schema
   * data files are written with, {@code commit()} (inside the publishing transaction) makes it the table's.
   */
  public static UpdateSchema evolve(UpdateSchema update, Schema current, BoundPipeline p) {
    Schema wanted = schemaOf(p);
    for (NestedField f : wanted.columns()) {
      NestedField old = current.findField(f.name());
      if (old == null) {
        update.addColumn(f.name(), f.type(), f.doc());
      } else if (!old.type().equals(f.type())) {
        if (!org.apache.iceberg.types.TypeUtil.isPromotionAllowed(old.type(), f.type().asPrimitiveType())) {
          throw new BadInputException("product " + p.definition().product() + ": column '" + f.name() + "' was "
              + old.type() + " in earlier versions and would be " + f.type() + "; Iceberg cannot change that type, so "
              + "give the product another name or keep the type");
        }
        update.updateColumn(f.name(), f.type().asPrimitiveType(), f.doc());
      } else if (f.doc() != null && !f.doc().equals(old.doc())) {
        update.updateColumnDoc(f.name(), f.doc());
      }
    }
    for (NestedField old : current.columns()) {
      if (wanted.findField(old.name()) == null) {
        update.deleteColumn(old.name());
      }
    }
    return update;
  }

  public static Schema writeSchema(Table table, BoundPipeline p) {
    return evolve(table.updateSchema(), table.schema(), p).apply();
  }
}
