package io.dataops.products.registry;

/**
 * One file a version needs, as recorded when it was made: its path inside the table's folder (so an archive copy
 * has the same names), its full location, its size and its digest.
 *
 * @param kind {@code data}, {@code position-deletes} or {@code equality-deletes}
 */
public record VersionFile(String name, String location, String kind, long size, long records, String digest) {}
