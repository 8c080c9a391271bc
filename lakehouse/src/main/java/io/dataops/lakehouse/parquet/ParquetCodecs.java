package io.dataops.lakehouse.parquet;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.codec.ZstandardCodec;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The zstd codecs Parquet readers and writers share, made without parsing Hadoop's defaults.
 *
 * <p>parquet-java keeps one codec instance per codec and level for the whole process (CodecFactory's static cache),
 * made by whichever reader or writer misses the cache first. Iceberg reads a non-Hadoop InputFile with no Hadoop
 * configuration, so parquet-java gives the codec a fresh default one, which parses core-default.xml when the codec
 * decompresses its first page (once per scan thread racing to fill the cache). Either side makes a codec through
 * Hadoop's ReflectionUtils, which loads JobConf, whose start-up adds mapred-default.xml and yarn-default.xml to the
 * defaults of every Hadoop configuration of the process: each one an Iceberg writer parses afterwards (one per data
 * file) then reads three files, not one.
 *
 * <p>The codecs made here are configured as those: parquet-java's zstd codec reads only its own
 * {@code parquet.compression.codec.zstd.*} keys (level, workers, buffer pool), which Hadoop's defaults do not set. A
 * reader's codec has no level (the codec's default, 3). A writer's is cached under its level: the table's, or
 * Hadoop's {@code io.compression.codec.zstd.level} default (3) where the table sets none, which Iceberg's codec factory
 * uses as the key while the codec itself then compresses at its default, also 3.
 *
 * <p>Filled at the first Parquet file the process opens (the warehouse's FileIO calls {@link #beforeOpening}, a
 * Parquet feed's reader {@link #share}), not when the lakehouse opens: commands that read no table's data, such as
 * {@code table list}, make none of the 23 codecs.
 */
public final class ParquetCodecs {
  /** zstd's levels (its negative "fast" levels are not worth a codec each; a writer asking for one makes its own). */
  private static final int MAX_LEVEL = 22;
  private static volatile boolean shared;

  private ParquetCodecs() {
  }

  /** Shares the codecs before the first Parquet file at {@code location} is read or written (other files need none). */
  public static void beforeOpening(String location) {
    if (!shared && location.endsWith(".parquet")) {
      share();
    }
  }

  /** Whether the codecs are in parquet-java's cache yet. */
  public static boolean isShared() {
    return shared;
  }

  /** Puts the zstd codecs into parquet-java's cache, once per process, where no reader or writer was first. */
  public static void share() {
    if (shared) {
      return;
    }
    synchronized (ParquetCodecs.class) {
      // The cache key of a codec is its class name, then ":" and the level; another parquet-java may differ.
      String name = CompressionCodecName.ZSTD.getHadoopCompressionCodecClassName();
      if (!shared && ZstandardCodec.class.getName().equals(name)) {
        Cache.putIfAbsent(name, zstd(null));
        for (int level = 1; level <= MAX_LEVEL; level++) {
          Cache.putIfAbsent(name + ":" + level, zstd(Integer.toString(level)));
        }
      }
      shared = true;
    }
  }

  private static CompressionCodec zstd(String level) {
    Configuration conf = new Configuration(false);
    if (level != null) {
      conf.set(ZstandardCodec.PARQUET_COMPRESS_ZSTD_LEVEL, level);
    }
    ZstandardCodec codec = new ZstandardCodec();
    codec.setConf(conf);
    return codec;
  }

  /** Never made: a subclass only to reach CodecFactory's protected static cache. */
  private static final class Cache extends CodecFactory {
    private Cache() {
      super(new Configuration(false), 0);
    }

    static void putIfAbsent(String key, CompressionCodec codec) {
      CODEC_BY_NAME.putIfAbsent(key, codec);
    }
  }
}
