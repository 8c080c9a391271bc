package io.dataops.lakehouse.landing;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingDataWriter;

/**
 * Parses, converts and writes the batches it takes from the queue: good rows to its own ods data files, bad rows
 * to its own quarantine files. Nothing it writes is visible until the landing commits.
 */
final class LandingWorker implements Callable<LandingWorker.Result> {
  /**
   * The problems a quarantined row's reason spells out; the rest are counted. A line of 60,000 undeclared fields
   * made one reason of 2.9 MB (three times the line itself).
   */
  static final int REASONS_SPELLED = 10;

  static final RecordBatch END = new ValueBatch(List.of());

  record Result(List<DataFile> odsFiles, List<DataFile> quarantineFiles, long landed, long quarantined,
                Map<String, Long> byRule) {}

  private final BlockingQueue<RecordBatch> queue;
  private final ValueConverter converter;
  private final Table ods;
  private final Table quarantine;
  private final int workerIndex;
  private final String feedId;
  private final String sourceFile;
  private final OffsetDateTime landedAt;
  private final int[] contractToTable;
  private final int[] lineagePositions;

  LandingWorker(BlockingQueue<RecordBatch> queue, ValueConverter converter, Table ods, Table quarantine,
      int workerIndex, String feedId, String sourceFile, OffsetDateTime landedAt, int[] contractToTable,
      int[] lineagePositions) {
    this.queue = queue;
    this.converter = converter;
    this.ods = ods;
    this.quarantine = quarantine;
    this.workerIndex = workerIndex;
    this.feedId = feedId;
    this.sourceFile = sourceFile;
    this.landedAt = landedAt;
    this.contractToTable = contractToTable;
    this.lineagePositions = lineagePositions;
  }

  @Override
  public Result call() throws Exception {
    Scratch scratch = new Scratch();
    WrittenFiles odsFiles = new WrittenFiles(ods.io());
    WrittenFiles quarantineFiles = new WrittenFiles(quarantine.io());
    RollingDataWriter<OdsRowWriter.Row> odsWriter = new RollingDataWriter<>(odsWriterFactory(), files(ods, odsFiles),
        odsFiles, targetFileSize(ods), PartitionSpec.unpartitioned(), null);
    RollingDataWriter<Record> quarantineWriter = null;
    GenericRecord bad = null;
    OdsRowWriter.Row row = new OdsRowWriter.Row();
    Object[] values = new Object[contractToTable.length];
    row.values = values;
    List<Problem> problems = new ArrayList<>(4);
    Map<String, Long> byRule = new HashMap<>();
    long landed = 0;
    long quarantined = 0;
    boolean ok = false;
    try {
      while (true) {
        RecordBatch batch = queue.take();
        if (batch == END) {
          break;
        }
        for (int i = 0, n = batch.size(); i < n; i++) {
          problems.clear();
          batch.parse(i, values, problems, scratch);
          if (problems.isEmpty()) {
            converter.convert(values, problems, scratch);
          }
          if (problems.isEmpty()) {
            row.rowNumber = batch.rowNumber(i);
            odsWriter.write(row);
            landed++;
          } else {
            if (quarantineWriter == null) {
              quarantineWriter = writer(quarantine, quarantineFiles);
              bad = GenericRecord.create(quarantine.schema());
            }
            quarantineWriter.write(quarantineRow(bad, batch, i, problems, scratch));
            byRule.merge(problems.get(0).rule(), 1L, Long::sum);
            quarantined++;
          }
        }
        batch.release();
      }
      // Closing writes the last row groups: it fails like any write (a full disk), so it is part of the work.
      odsWriter.close();
      if (quarantineWriter != null) {
        quarantineWriter.close();
      }
      ok = true;
    } finally {
      if (!ok) {
        odsFiles.deleteAll();
        quarantineFiles.deleteAll();
      }
    }
    List<DataFile> qFiles = quarantineWriter == null ? List.of() : quarantineWriter.result().dataFiles();
    return new Result(odsWriter.result().dataFiles(), qFiles, landed, quarantined, byRule);
  }

  private Record quarantineRow(GenericRecord bad, RecordBatch batch, int i, List<Problem> problems, Scratch scratch) {
    RecordBatch.RawRow raw = batch.raw(i, scratch);
    Problem first = problems.get(0);
    StringBuilder reason = new StringBuilder();
    for (Problem p : problems.subList(0, Math.min(problems.size(), REASONS_SPELLED))) {
      if (reason.length() > 0) {
        reason.append("; ");
      }
      reason.append(p.message());
    }
    if (problems.size() > REASONS_SPELLED) {
      reason.append("; and ").append(problems.size() - REASONS_SPELLED).append(" more problems");
    }
    bad.set(0, feedId);
    bad.set(1, sourceFile);
    bad.set(2, batch.rowNumber(i));
    bad.set(3, batch.lineNumber(i) > 0 ? batch.lineNumber(i) : null);
    bad.set(4, first.rule());
    bad.set(5, first.column());
    bad.set(6, reason.toString());
    bad.set(7, raw.text());
    bad.set(8, raw.bytes() == null ? null : ByteBuffer.wrap(raw.bytes()));
    bad.set(9, landedAt);
    return bad;
  }

  /** Good rows go to Parquet straight from the converted values (no GenericRecord; see OdsRowWriter). */
  private OdsWriterFactory odsWriterFactory() {
    int[] sources = new int[ods.schema().columns().size()];
    Arrays.fill(sources, OdsRowWriter.NONE); // a column of an older contract: null
    for (int c = 0; c < contractToTable.length; c++) {
      sources[contractToTable[c]] = c;
    }
    sources[lineagePositions[0]] = OdsRowWriter.FEED_ID;
    sources[lineagePositions[1]] = OdsRowWriter.SOURCE_FILE;
    sources[lineagePositions[2]] = OdsRowWriter.ROW_NUMBER;
    sources[lineagePositions[3]] = OdsRowWriter.LANDED_AT;
    return new OdsWriterFactory(ods, sources, feedId, sourceFile, landedAt);
  }

  /** Quarantine rows are few: Iceberg's generic writer serves them. */
  private RollingDataWriter<Record> writer(Table table, WrittenFiles io) {
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET)
        .dataSchema(table.schema())
        .build();
    return new RollingDataWriter<>(factory, files(table, io), io, targetFileSize(table), PartitionSpec.unpartitioned(),
        null);
  }

  private OutputFileFactory files(Table table, WrittenFiles io) {
    return OutputFileFactory.builderFor(table, workerIndex, 0)
        .operationId(feedId)
        .ioSupplier(() -> io)
        .format(FileFormat.PARQUET)
        .build();
  }

  private static long targetFileSize(Table table) {
    return table.properties().containsKey("write.target-file-size-bytes")
        ? Long.parseLong(table.properties().get("write.target-file-size-bytes")) : 512L << 20;
  }
}
