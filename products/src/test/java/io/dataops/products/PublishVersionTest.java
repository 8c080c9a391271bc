package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.products.publish.PublishVersion;
import io.dataops.products.publish.QualityGate;
import io.dataops.products.registry.ProductVersion;
import java.util.List;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class PublishVersionTest extends ProductFixture {
  @Test
  void applyShowsTheVersionItWouldMakeAndWritesNothing() {
    publish(false, dataFile(1, 10));
    String a = dataFile(11, 30);
    String b = dataFile(31, 35);
    PublishVersion update = publisher(QualityGate.NONE).newVersion(PRODUCT, "preview-run").replaceWith(List.of(a, b))
        .evolveSchema((u, current) -> current.findField("note") == null ? u.addColumn("note", Types.StringType.get()) : u)
        .lineage(lineage("preview-run", 25)).actor(OPERATOR);
    long snapshots = table().snapshots().spliterator().getExactSizeIfKnown();
    PublishVersion.Preview preview = update.apply();
    assertThat(preview.version()).isEqualTo(2);
    assertThat(preview.alreadyRecorded()).isFalse();
    assertThat(preview.files()).isEqualTo(2);
    assertThat(preview.records()).isEqualTo(25);
    assertThat(preview.schemaJson()).contains("\"note\"");
    assertThat(table().snapshots()).as("nothing committed").hasSize((int) snapshots);
    assertThat(table().schema().findField("note")).as("the schema is unchanged").isNull();
    assertThat(registry.list(PRODUCT)).hasSize(1);

    ProductVersion v2 = update.commit();
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.content().records()).isEqualTo(25);
    assertThat(table().schema().findField("note")).isNotNull();
    assertThat(update.apply().alreadyRecorded()).as("the same run again: recorded").isTrue();
    assertThat(update.commit().snapshotId()).as("idempotent").isEqualTo(v2.snapshotId());
  }
}
