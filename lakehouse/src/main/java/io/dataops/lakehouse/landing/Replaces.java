package io.dataops.lakehouse.landing;

/**
 * The earlier feed a corrected feed replaces, and how its sender asked for that, so that a refusal says what to change
 * in the sender's own terms: the command line's option, or the landing zone's object metadata.
 */
public record Replaces(String feedId, Channel channel) {
  /** How a sender names the feed its file corrects. */
  public enum Channel {
    /** {@code land --file F --replaces FEED_ID}. */
    OPTION,
    /** An object in the landing zone whose user metadata is {@code replaces=FEED_ID}. */
    OBJECT_METADATA
  }

  public Replaces {
    java.util.Objects.requireNonNull(feedId, "feedId");
    java.util.Objects.requireNonNull(channel, "channel");
  }

  /** Named by {@code land --replaces}; null for null. */
  public static Replaces option(String feedId) {
    return feedId == null ? null : new Replaces(feedId, Channel.OPTION);
  }

  /** Named by an object's metadata; null for null. */
  public static Replaces objectMetadata(String feedId) {
    return feedId == null ? null : new Replaces(feedId, Channel.OBJECT_METADATA);
  }

  /** What the sender set: "--replaces", or "the object's metadata replaces". */
  String setting() {
    return channel == Channel.OPTION ? "--replaces" : "the object's metadata " + LandingZone.REPLACES_METADATA;
  }

  /** What the sender does to correct feed {@code id}: land the file with --replaces ID, or put it with the metadata. */
  String toCorrect(String id) {
    return channel == Channel.OPTION ? "land the file with --replaces " + id
        : "put the file in the landing zone again with the metadata " + LandingZone.REPLACES_METADATA + "=" + id;
  }
}
