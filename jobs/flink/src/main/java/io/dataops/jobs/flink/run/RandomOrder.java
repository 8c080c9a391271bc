package io.dataops.jobs.flink.run;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.operators.Order;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;

/**
 * Product rows in a random order on their way to the files: each row gets a random number, goes to the subtask its
 * number names, and each subtask sorts its rows by their numbers before writing them. A product keeps neither its
 * input's order nor which input file a row came from (the Spring Batch engine's reasons: two products of one input
 * could be joined row by row on position, see its {@code RowOrder}). Unlike that engine's, this order need not be
 * the same twice: a Flink run that fails is run again whole, and a task Flink restarts writes its files again, so
 * the numbers are drawn fresh from a generator seeded by {@link SecureRandom} in each subtask. The rows are the
 * product's (desensitized) when they are shuffled and sorted; Flink spills what does not fit its managed memory.
 */
final class RandomOrder {
  private RandomOrder() {}

  static DataStream<RowData> of(DataStream<RowData> rows) {
    TypeInformation<RowData> type = rows.getType();
    return rows.map(new Draw()).returns(Types.TUPLE(Types.LONG, type)).name("random row order")
        .partitionCustom((Long number, int subtasks) -> (int) Long.remainderUnsigned(number, subtasks),
            (Tuple2<Long, RowData> drawn) -> drawn.f0)
        // by a key selector: sortPartition(0, ...) is refused ("The field mustn't be less than zero", Flink 2.1)
        .fullWindowPartition().sortPartition((Tuple2<Long, RowData> drawn) -> drawn.f0, Order.ASCENDING)
        .name("rows sorted by their random numbers")
        .map(drawn -> drawn.f1).returns(type).name("product rows in random order");
  }

  /** Tags each row with a random number. */
  private static final class Draw extends RichMapFunction<RowData, Tuple2<Long, RowData>> {
    private static final long serialVersionUID = 1L;
    private transient SplittableRandom random;

    @Override
    public void open(OpenContext context) {
      random = new SplittableRandom(new SecureRandom().nextLong());
    }

    @Override
    public Tuple2<Long, RowData> map(RowData row) {
      return Tuple2.of(random.nextLong(), row);
    }
  }
}
