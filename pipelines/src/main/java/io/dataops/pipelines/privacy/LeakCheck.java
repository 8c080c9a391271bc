package io.dataops.pipelines.privacy;

import io.dataops.core.files.CheckedFiles;
import io.dataops.lakehouse.identifiers.IdentifierPatterns;
import io.dataops.lakehouse.types.ValueType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Guards every product version against raw personal data. Three tests, all over every output value:
 * <ol>
 *   <li>equality: no output value may equal a raw value of a personal-data column of the inputs, nor write a raw
 *       mobile number as an amount ({@code 13,800,138,000}, which the shape test takes for a sum; compared as its
 *       digits, {@link Rebuildable#embedded}). Raw values go into a
 *       {@link LeakFilter} (a blocked Bloom filter, 16 bits per value, every probe of a value in one 64-byte block, so
 *       one cache miss per value instead of eleven; about 0.2% false hits; parallel parts of it merge by OR); output
 *       values that hit it are kept as 128-bit
 *       candidates and confirmed exactly by a second look at the raw values ({@link #confirm}). Memory: the filter
 *       plus about 22 bytes per candidate up to {@link #CANDIDATES_IN_MEMORY}; past that they spill
 *       ({@link SpilledCandidates}) and are confirmed by a sort-merge against the hashes of the raw values, so the
 *       verdict stays exact at any input size.</li>
 *   <li>rebuilding: no output value may give back a raw ID number or bank card through its check character (equal to
 *       it but for the check character, hidden, changed or left out, or but for one hidden character the check
 *       character solves for, see {@link Rebuildable}), nor hold one among longer digits or in the old 15-digit form
 *       ({@link Rebuildable#embedded}); the identifiers rebuilt are tested like output values and confirmed the same
 *       way.</li>
 *   <li>shape: no output value may contain a resident ID or mobile number, except in columns whose policy keeps that
 *       shape on purpose (format-preserving encryption; such columns are also exempt from equality, since a
 *       ciphertext may coincide with someone else's number).</li>
 * </ol>
 * Values shorter than two characters are not compared (a one-letter code is not personal data). {@link #check} may
 * be called from several threads once every raw value has been added. Spilled candidates go to owner-only files of
 * hashes (never a value) in the check's folder ({@link #spillTo}), deleted by {@link #close}.
 */
public final class LeakCheck implements AutoCloseable {
  /**
   * The outcome, per output column: values equal to raw personal values, values shaped like identifiers, and values
   * from which a raw identifier can be rebuilt. {@code tooManyCandidates} is always false now that candidates
   * spill instead of failing the check; it stays so that results recorded by earlier builds still read.
   */
  public record Result(boolean passed, Map<String, Long> equalToRaw, Map<String, Long> identifierShaped,
      Map<String, Long> rebuildable, long rawValues, long candidates, boolean tooManyCandidates, long valuesChecked) {

    /**
     * Why a run with this result must fail, naming columns and counts only (never a value), as every engine reports
     * it; null when the check passed.
     */
    public String failure() {
      if (passed) {
        return null;
      }
      List<String> problems = new java.util.ArrayList<>();
      equalToRaw.forEach((c, n) -> problems.add(c + ": " + n + " values equal raw personal data"));
      identifierShaped.forEach((c, n) -> problems.add(c + ": " + n + " values contain an ID or mobile number"));
      if (rebuildable != null) {
        rebuildable.forEach((c, n) -> problems.add(c + ": " + n + " values give back a raw ID or bank card "
            + "number through its check character"));
      }
      if (tooManyCandidates) {
        problems.add("too many values matched raw personal data to confirm them");
      }
      return "leak check failed, nothing was published: " + String.join("; ", problems)
          + " (give those columns a policy that hides the value)";
    }
  }

  /** Candidates held in memory (about 22 bytes each, their texts besides) before they spill to the check's folder. */
  public static final int CANDIDATES_IN_MEMORY = 1 << 20;
  /**
   * A system property that lowers (or raises) {@link #CANDIDATES_IN_MEMORY} for the checks made after it is set: how
   * tests make a run of a few thousand rows spill.
   */
  public static final String CANDIDATES_IN_MEMORY_PROPERTY = "dataops.leak-check.candidates-in-memory";

  private final List<String> columns;
  private final boolean[] exempt;
  private final LeakFilter filter;
  /** Output values tested (not null, not exempt, two characters or more): one thread at a time. */
  private long valuesChecked;
  private final ValueKey rawKey = new ValueKey();
  private final long[] equal;
  private final long[] shaped;
  private final long[] rebuilt;
  /** The candidates in memory; also the lock of everything about candidates. */
  private final CandidateSet candidates = new CandidateSet();
  /**
   * The texts of the candidates, so that an engine can confirm them by a join instead of a second pass here; dropped
   * (and no longer kept) once the candidates spill.
   */
  private final java.util.Set<String> candidateTexts = new java.util.HashSet<>();
  private final ThreadLocal<Scratch> scratch;
  private int candidatesInMemory = Integer.getInteger(CANDIDATES_IN_MEMORY_PROPERTY, CANDIDATES_IN_MEMORY);
  /** Where candidates spill (null: a temporary folder of this check's own, made at the first spill). */
  private java.nio.file.Path spillDir;
  private java.nio.file.Path ownSpillDir;
  /** The candidates that went to disk (null while all fit in memory). */
  private SpilledCandidates spilled;
  private volatile boolean confirmed;

  /**
   * @param columns the product's columns, in row order
   * @param exempt which of them keep identifier shapes on purpose
   * @param expectedRaw about how many raw personal values there are (sizes the filter)
   * @param maxFilterBytes the most memory the filter may take
   */
  public LeakCheck(List<String> columns, boolean[] exempt, long expectedRaw, long maxFilterBytes) {
    this(columns, exempt, new LeakFilter(expectedRaw, maxFilterBytes));
  }

  /**
   * A check over {@code filter} (used, not copied: {@link #addRaw} adds to it), e.g. the merge of filters that parallel
   * subtasks built over parts of the raw values.
   */
  public LeakCheck(List<String> columns, boolean[] exempt, LeakFilter filter) {
    this.columns = List.copyOf(columns);
    this.exempt = exempt.clone();
    this.filter = filter;
    this.equal = new long[columns.size()];
    this.shaped = new long[columns.size()];
    this.rebuilt = new long[columns.size()];
    int width = columns.size();
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(width));
  }

  /** What a run's saved filter file starts with ({@link CheckedFiles}). */
  private static final long RUN_FILTER_MAGIC = 0xD0_1F_17_7E_20_4E_00_01L;

  /**
   * Saves the filter (after every raw value was added), so that the output can be checked by another step or, after
   * a restart, another process. The file holds hashes' bits only, never a value, and ends with their digest: a
   * filter torn by a power failure (a file of zeros would pass every value) is refused, not used.
   */
  public void saveFilter(java.nio.file.Path file) throws java.io.IOException {
    CheckedFiles.write(file, RUN_FILTER_MAGIC, filter::writeTo);
  }

  /**
   * A check over the filter {@link #saveFilter} saved, ready for the output values; its candidates spill beside the
   * file, to {@link #SPILL_FOLDER} (the run's folder, which holds the filter). {@link CheckedFiles.Refused} when the
   * file is not one {@link #saveFilter} finished: the caller builds the filter again.
   */
  public static LeakCheck loadFilter(java.nio.file.Path file, List<String> columns, boolean[] exempt)
      throws java.io.IOException {
    LeakFilter filter = CheckedFiles.read(file, RUN_FILTER_MAGIC, LeakFilter::readFrom);
    return new LeakCheck(columns, exempt, filter).spillTo(file.resolveSibling(SPILL_FOLDER));
  }

  /** The folder, in a run's own folder, where its leak check's candidates spill. */
  public static final String SPILL_FOLDER = "leak-candidates";

  /**
   * Spills candidates beyond {@link #CANDIDATES_IN_MEMORY} to {@code dir}, a folder private to this check (created
   * owner-only at the first spill): what is in it already is what a killed process of the same run left, and goes
   * now. Without a folder, the check makes a temporary one of its own when it first spills.
   */
  public LeakCheck spillTo(java.nio.file.Path dir) throws java.io.IOException {
    synchronized (candidates) {
      if (spilled != null) {
        throw new IllegalStateException("the leak check has spilled already");
      }
      if (java.nio.file.Files.isDirectory(dir)) {
        try (var stale = java.nio.file.Files.list(dir)) {
          for (java.nio.file.Path f : stale.toList()) {
            java.nio.file.Files.deleteIfExists(f);
          }
        }
      }
      spillDir = dir;
    }
    return this;
  }

  /** Candidates held in memory before they spill (tests make it small; at least one). */
  LeakCheck candidatesInMemory(int n) {
    candidatesInMemory = Math.max(1, n);
    return this;
  }

  /**
   * Adds the raw values a filter of the same size holds (a part built over some inputs, e.g. taken from the
   * {@link LeakFilterCache}): the same as adding those values one by one.
   */
  public void addFilter(LeakFilter part) {
    filter.merge(part);
  }

  /** First: every raw value of the inputs' personal-data columns. */
  public void addRaw(Object value) {
    filter.add(value);
  }

  /** The same for a raw text value given as its UTF-8 bytes (as a columnar reader holds it): no String made. */
  public void addRawUtf8(byte[] utf8, int length) {
    filter.addUtf8(utf8, length);
  }

  private boolean mightBeRaw(Hash128 h) {
    return filter.mightContain(h);
  }

  /** Then: every output row (values in {@code columns} order). */
  public void check(Object[] row) {
    for (int c = 0; c < row.length; c++) {
      checkValue(c, row[c]);
    }
  }

  /**
   * Output rows in bulk (a chunk an engine writes; values in {@code columns} order): exactly what {@link
   * #check(Object[])} of each row in turn adds, in the same order. The filter is read at random; probed one value at
   * a time, between hashing, pattern tests and the memo, its cache misses come one after another. Here the hashes of
   * the rows' values (and of the identifiers they rebuild) are gathered first, then probed in one loop with nothing
   * else in it ({@link LeakFilter#mightContainAll}), then the outcomes are remembered and counted in row order. A value
   * the memo does not hold has its slot reserved while it waits, so that the memo looks up and keeps what testing one
   * value at a time would; an equal value in the same rows is tested again (its outcome is not known yet), which only
   * a column's first rows pay for.
   */
  public void check(java.util.List<Object[]> rows) {
    Scratch s = scratch.get();
    Probes p = s.probes.reset();
    for (Object[] row : rows) {
      for (int c = 0; c < exempt.length; c++) {
        Object v = row[c];
        if (v == null || exempt[c]) {
          continue;
        }
        boolean remember = CheckedValues.remembers(v);
        CheckedValues.Outcome o = remember ? s.checked.find(c, v) : null;
        if (o != null) {
          p.known(c, o);
        } else {
          if (remember) {
            s.checked.reserve(c, v);
          }
          p.value(c, remember ? v : null);
          p.gather(v, s.key);
        }
      }
    }
    p.probe(filter);
    for (int j = 0; j < p.values; j++) {
      CheckedValues.Outcome o = p.outcome(j);
      if (p.remembered[j] != null) {
        s.checked.put(p.column[j], p.remembered[j], o);
      }
      replay(p.column[j], o);
    }
    p.forget();
  }

  /**
   * One output value of column {@code c} (output values may come column by column, in any order). A value this
   * thread tested before in the same column replays its outcome ({@link CheckedValues}): the counts and candidates are
   * what testing it again would add.
   */
  public void checkValue(int c, Object v) {
    if (v == null || exempt[c]) {
      return;
    }
    Scratch s = scratch.get();
    boolean remember = CheckedValues.remembers(v);
    CheckedValues.Outcome o = remember ? s.checked.find(c, v) : null;
    if (o == null) {
      Probes p = s.single.reset();
      p.value(c, null);
      p.gather(v, s.key);
      p.probe(filter);
      o = p.outcome(0);
      if (remember) {
        s.checked.put(c, v, o);
      }
    }
    replay(c, o);
  }

  private void replay(int c, CheckedValues.Outcome o) {
    if (!o.tested()) {
      return;
    }
    valuesChecked++;
    if (o.shaped()) {
      shaped(c);
    }
    addCandidates(c, o);
  }

  private void addCandidates(int c, CheckedValues.Outcome o) {
    for (int i = 0; i < o.texts().length; i++) {
      candidate(o.hashes()[2 * i], o.hashes()[2 * i + 1], c, o.texts()[i], o.rebuilt()[i]);
    }
  }

  /**
   * Values under test and their probes, gathered before the filter is probed: per value its column, the outcome if the
   * memo knew it, else whether it is tested at all (two characters or more) and shaped like an identifier; per probe a
   * hash, its text and whether it was rebuilt (a value's own hash first, then those of the identifiers it rebuilds: at
   * most two). One per thread, reused.
   */
  private static final class Probes {
    int values;
    int[] column = new int[64];
    Object[] remembered = new Object[64];
    private CheckedValues.Outcome[] known = new CheckedValues.Outcome[64];
    private boolean[] tested = new boolean[64];
    private boolean[] shaped = new boolean[64];
    private int[] first = new int[64];
    private int probes;
    private long[] h1 = new long[64];
    private long[] h2 = new long[64];
    private String[] texts = new String[64];
    private boolean[] fromRebuild = new boolean[64];
    private int[] blocks = new int[64];
    private boolean[] hit = new boolean[64];

    Probes reset() {
      values = 0;
      probes = 0;
      return this;
    }

    /** A value of column {@code c} to test; {@code remember}: the value to remember its outcome by, or null. */
    void value(int c, Object remember) {
      if (values == column.length) {
        int cap = 2 * values;
        column = Arrays.copyOf(column, cap);
        remembered = Arrays.copyOf(remembered, cap);
        known = Arrays.copyOf(known, cap);
        tested = Arrays.copyOf(tested, cap);
        shaped = Arrays.copyOf(shaped, cap);
        first = Arrays.copyOf(first, cap);
      }
      column[values] = c;
      remembered[values] = remember;
      known[values] = null;
      tested[values] = false;
      shaped[values] = false;
      first[values] = probes;
      values++;
    }

    /** A value of column {@code c} whose outcome the memo knew: nothing to test. */
    void known(int c, CheckedValues.Outcome outcome) {
      value(c, null);
      known[values - 1] = outcome;
    }

    /** Drops the references to values and outcomes a batch left. */
    void forget() {
      Arrays.fill(remembered, 0, values, null);
      Arrays.fill(known, 0, values, null);
      Arrays.fill(texts, 0, probes, null);
    }

    /**
     * The tests of the last value: none for a value shorter than two characters; else its identifier shape, its hash
     * and, for a value long and digit-rich enough, the hashes of the identifiers it rebuilds ({@link Rebuildable}).
     */
    void gather(Object v, ValueKey key) {
      String text = ValueType.text(v);
      if (text.codePointCount(0, text.length()) < 2) {
        return;
      }
      tested[values - 1] = true;
      shaped[values - 1] = v instanceof String && identifierShaped(text);
      add(key.reset().add(text).hash(), text, false);
      if (text.length() <= Rebuildable.MAX_LENGTH && digits(text) >= Rebuildable.MIN_DIGITS) {
        rebuilds(text, key);
      }
      if (text.length() >= Rebuildable.EMBEDDED_MIN_LENGTH) {
        embedded(text, key);
      }
    }

    /** The hashes of the identifiers {@code text} rebuilds, for the last value (which is then tested). */
    void rebuilds(CharSequence text, ValueKey key) {
      tested[values - 1] = true;
      Rebuildable.candidates(text, id -> add(key.reset().add(id).hash(), id, true));
    }

    /**
     * The hashes of the ID numbers {@code text} holds among longer digits or in the old 15-digit form
     * ({@link Rebuildable#embedded}), for the last value (tested already): counted as rebuilt when a raw value
     * confirms one; and of a mobile number it writes as an amount, counted as equal to the raw value (it is that
     * number, only grouped). Not the value itself: it is probed as itself.
     */
    void embedded(CharSequence text, ValueKey key) {
      tested[values - 1] = true;
      embeddedKey = key;
      Rebuildable.embedded(text, giveEmbedded);
    }

    /** The key {@link #giveEmbedded} hashes with: set per call, so that no consumer is made per value. */
    private ValueKey embeddedKey;
    private final java.util.function.Consumer<String> giveEmbedded = id ->
        add(embeddedKey.reset().add(id).hash(), id, id.length() != Rebuildable.MOBILE_DIGITS);

    private void add(Hash128 h, String text, boolean rebuilt) {
      if (probes == h1.length) {
        int cap = 2 * probes;
        h1 = Arrays.copyOf(h1, cap);
        h2 = Arrays.copyOf(h2, cap);
        texts = Arrays.copyOf(texts, cap);
        fromRebuild = Arrays.copyOf(fromRebuild, cap);
        blocks = new int[cap];
        hit = new boolean[cap];
      }
      h1[probes] = h.h1;
      h2[probes] = h.h2;
      texts[probes] = text;
      fromRebuild[probes] = rebuilt;
      probes++;
    }

    void probe(LeakFilter filter) {
      filter.mightContainAll(h1, h2, probes, blocks, hit);
    }

    /** Value {@code j}'s outcome, after {@link #probe}: its hashes that hit the filter are its candidates. */
    CheckedValues.Outcome outcome(int j) {
      if (known[j] != null) {
        return known[j];
      }
      if (!tested[j]) {
        return CheckedValues.Outcome.UNTESTED;
      }
      int from = first[j];
      int to = j + 1 < values ? first[j + 1] : probes;
      int hits = 0;
      for (int k = from; k < to; k++) {
        if (hit[k]) {
          hits++;
        }
      }
      if (hits == 0) {
        return shaped[j] ? CheckedValues.Outcome.SHAPED : CheckedValues.Outcome.CLEAN;
      }
      long[] hashes = new long[2 * hits];
      boolean[] rebuilt = new boolean[hits];
      String[] found = new String[hits];
      int m = 0;
      for (int k = from; k < to; k++) {
        if (hit[k]) {
          hashes[2 * m] = h1[k];
          hashes[2 * m + 1] = h2[k];
          rebuilt[m] = fromRebuild[k];
          found[m] = texts[k];
          m++;
        }
      }
      return new CheckedValues.Outcome(true, shaped[j], hashes, rebuilt, found);
    }
  }

  /**
   * One thread's reused key, probes and memo of tested values (static: a thread's copy must not hold the check, or the
   * thread would keep it alive).
   */
  private static final class Scratch {
    final ValueKey key = new ValueKey();
    final CheckedValues checked;
    /** A batch's values ({@link #check(java.util.List)}) and one value's ({@link #checkValue}). */
    final Probes probes = new Probes();
    final Probes single = new Probes();

    Scratch(int columns) {
      checked = new CheckedValues(columns);
    }
  }

  /**
   * The shape test: a resident ID or mobile number unbroken ({@link IdentifierPatterns#find}) or as people write them,
   * in groups, after +86, in digits of any script or Chinese numerals
   * ({@link IdentifierPatterns#identifierInWrittenForms}).
   */
  static boolean identifierShaped(CharSequence text) {
    return IdentifierPatterns.find(text) != IdentifierPatterns.Found.NONE
        || IdentifierPatterns.identifierInWrittenForms(text);
  }

  /**
   * Whether UTF-8 text may hold an identifier the ASCII view cannot see: eleven digits or more with a digit or a
   * joiner beyond ASCII among them ({@link IdentifierPatterns#isDigit}: full-width, Arabic-Indic, mathematical digits,
   * Chinese numerals...; {@link IdentifierPatterns#isJoiner}: a no-break, ideographic or zero-width space, a dash, an
   * enumeration or full-width comma...). Most text values (names, addresses) are not, and are not decoded: ASCII bytes
   * cost a comparison each, and only a multi-byte sequence's code point is tested.
   */
  static boolean writtenWideUtf8(byte[] utf8, int length) {
    int digits = 0;
    boolean wide = false;
    for (int i = 0; i < length; i++) {
      int b = utf8[i] & 0xFF;
      if (b < 0x80) {
        digits += b >= '0' && b <= '9' ? 1 : 0;
        continue;
      }
      int cp;
      if (b >= 0xC2 && b < 0xE0 && i + 1 < length) {
        cp = (b & 0x1F) << 6 | utf8[i + 1] & 0x3F;
        i += 1;
      } else if (b >= 0xE0 && b < 0xF0 && i + 2 < length) {
        cp = (b & 0x0F) << 12 | (utf8[i + 1] & 0x3F) << 6 | utf8[i + 2] & 0x3F;
        i += 2;
      } else if (b >= 0xF0 && b < 0xF5 && i + 3 < length) {
        cp = (b & 0x07) << 18 | (utf8[i + 1] & 0x3F) << 12 | (utf8[i + 2] & 0x3F) << 6 | utf8[i + 3] & 0x3F;
        i += 3;
      } else {
        continue; // a continuation byte or a sequence cut short: the decoded text holds no digit there
      }
      if (IdentifierPatterns.isDigit(cp)) {
        digits++;
        wide = true;
      } else if (!wide && IdentifierPatterns.isJoiner(cp)) {
        wide = true;
      }
    }
    return wide && digits >= 11;
  }

  private static int digits(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= '0' && ch <= '9') {
        n++;
      }
    }
    return n;
  }

  /** One text output value of column {@code c} given as its UTF-8 bytes: the same tests, no String made. */
  public void checkUtf8(int c, byte[] utf8, int length) {
    if (exempt[c] || LeakFilter.codePoints(utf8, length) < 2) {
      return;
    }
    valuesChecked++;
    Latin1View ascii = new Latin1View(utf8, length);
    String wide = writtenWideUtf8(utf8, length) ? new String(utf8, 0, length, java.nio.charset.StandardCharsets.UTF_8)
        : null; // decoded only when it may need it: digits beyond ASCII, wide or enumeration commas between groups
    if (identifierShaped(ascii) || wide != null && identifierShaped(wide)) {
      shaped(c);
    }
    ValueKey key = scratch.get().key;
    Hash128 h = key.reset().addUtf8(utf8, length).hash();
    if (mightBeRaw(h)) {
      candidate(h.h1, h.h2, c, new String(utf8, 0, length, java.nio.charset.StandardCharsets.UTF_8), false);
    }
    int asciiDigits = digits(ascii); // counted once, for both tests below
    // A mask character may take several bytes: the length bound allows for three each.
    if (length <= 3 * Rebuildable.MAX_LENGTH && asciiDigits >= Rebuildable.MIN_DIGITS) {
      Probes p = scratch.get().single.reset();
      p.value(c, null);
      p.rebuilds(new String(utf8, 0, length, java.nio.charset.StandardCharsets.UTF_8), key);
      p.probe(filter);
      addCandidates(c, p.outcome(0));
    }
    // Fewer digits may be a mobile written as an amount: Rebuildable.embedded tells (it allocates nothing when not).
    if (wide != null || asciiDigits >= Rebuildable.MOBILE_DIGITS && length >= Rebuildable.EMBEDDED_MIN_LENGTH) {
      Probes p = scratch.get().single.reset();
      p.value(c, null);
      p.embedded(wide != null ? wide : ascii, key);
      p.probe(filter);
      addCandidates(c, p.outcome(0));
    }
  }

  private void shaped(int c) {
    synchronized (shaped) {
      shaped[c]++;
    }
  }

  private void candidate(long h1, long h2, int c, String text, boolean rebuilt) {
    synchronized (candidates) {
      add(h1, h2, c, rebuilt);
      if (spilled == null && text != null) {
        candidateTexts.add(text);
      }
    }
  }

  /** Adds a candidate, spilling those in memory first when they fill it. Holding the candidates' lock. */
  private void add(long h1, long h2, int c, boolean rebuilt) {
    if (candidates.size() >= candidatesInMemory) {
      spill();
    }
    candidates.add(h1, h2, c, rebuilt);
  }

  /** Writes the candidates in memory as a sorted run and drops their texts (confirmation goes by hashes from now on). */
  private void spill() {
    if (candidates.size() == 0) {
      return;
    }
    if (spilled == null) {
      try {
        if (spillDir == null) {
          ownSpillDir = io.dataops.core.files.ProcessScratch.newFolder("leak-candidates"); // 0700 on POSIX
          spillDir = ownSpillDir;
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot make a folder for the leak check's candidates", e);
      }
      spilled = new SpilledCandidates(spillDir, candidatesInMemory);
      candidateTexts.clear();
    }
    spilled.spill(candidates.copy(), candidates.size());
    candidates.clear();
  }

  /** All candidates: those spilled and those in memory. */
  private long candidateCount() {
    return (spilled == null ? 0 : spilled.count()) + candidates.size();
  }

  /**
   * UTF-8 bytes seen as characters one byte each: ASCII stays itself and every byte of a multi-byte sequence is
   * above 0x7F, so the identifier scan (ASCII digits, 'X', and what is next to them) finds exactly what it finds in
   * the decoded text.
   */
  private record Latin1View(byte[] bytes, int length) implements CharSequence {
    @Override
    public char charAt(int index) {
      return (char) (bytes[index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(bytes, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return new String(bytes, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  /** True when some output values hit the filter: their equality must be confirmed against the raw values. */
  public boolean needsConfirmation() {
    synchronized (candidates) {
      return candidateCount() > 0;
    }
  }

  /**
   * True when the candidates outgrew memory and spilled: their texts are not kept ({@link #candidateTexts} is empty),
   * so an engine confirms them by the hashes of every raw value ({@link #confirmation}).
   */
  public boolean spilled() {
    synchronized (candidates) {
      return spilled != null;
    }
  }

  /**
   * The distinct texts of the output values that hit the filter while they fit in memory ({@link #spilled}: none):
   * held in memory only, for an engine to look up among the raw values ({@link #confirm} each one it finds).
   */
  public java.util.Set<String> candidateTexts() {
    return java.util.Collections.unmodifiableSet(candidateTexts);
  }

  /**
   * Last, when {@link #needsConfirmation}: raw values (all of them, or only those equal to a {@link #candidateTexts
   * candidate text}); confirms the candidates that really equal one.
   */
  public void confirm(Object value) {
    String text = ValueType.text(value);
    if (text == null || text.codePointCount(0, text.length()) < 2) {
      return;
    }
    Hash128 h = rawKey.reset().add(text).hash();
    synchronized (candidates) {
      if (spilled != null) {
        spill();
        spilled.rawHash(h.h1, h.h2);
      } else {
        candidates.mark(h.h1, h.h2);
      }
    }
    confirmed = true;
  }

  /**
   * Says the confirmation is complete when it only passed the raw values that equal a candidate (perhaps none):
   * the candidates not confirmed are then chance hits of the filter, not leaks.
   */
  public void confirmationComplete() {
    confirmed = true;
  }

  /**
   * Where the hashes of the raw values go to confirm the candidates, from an engine that hashed them where they are
   * ({@link RawHashes} or the same hashes read back): all of them, in any order, repeats allowed; then
   * {@link #confirmationComplete}. Candidates in memory are marked as their hashes pass; spilled ones are settled by a
   * sort-merge when the result is asked for. No candidate may be added after this.
   */
  public RawHashes.Sink confirmation() {
    synchronized (candidates) {
      if (spilled != null) {
        spill(); // every candidate in a run: the merge reads runs only
        return (h1, h2, n) -> {
          synchronized (candidates) {
            for (int i = 0; i < n; i++) {
              spilled.rawHash(h1[i], h2[i]);
            }
          }
        };
      }
    }
    return (h1, h2, n) -> {
      synchronized (candidates) {
        for (int i = 0; i < n; i++) {
          candidates.mark(h1[i], h2[i]);
        }
      }
    };
  }

  /**
   * Writes what this check found so far, to be merged into one check elsewhere ({@link #mergeFindings}): the values it
   * tested, the identifier shapes per column and its candidates as hashes with their columns — never a value, so
   * parallel parts of an engine may ship them. Streamed: spilled candidates are read back from their runs, not held.
   * The candidates' texts stay here. The stream is flushed, not closed.
   */
  public void writeFindings(java.io.OutputStream stream) throws java.io.IOException {
    java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(stream, 1 << 16));
    synchronized (candidates) {
      out.writeInt(FINDINGS_VERSION);
      out.writeInt(columns.size());
      out.writeLong(valuesChecked);
      synchronized (shaped) {
        for (long n : shaped) {
          out.writeLong(n);
        }
      }
      out.writeLong(candidateCount());
      if (spilled != null) {
        spilled.forEach((h1, h2, meta) -> {
          out.writeLong(h1);
          out.writeLong(h2);
          out.writeLong(meta);
        });
      }
      long[] memory = candidates.copy();
      for (long v : memory) {
        out.writeLong(v);
      }
    }
    out.flush();
  }

  /** {@link #writeFindings} into an array (a part that found little). */
  public byte[] findingsBytes() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try {
      writeFindings(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static final int FINDINGS_VERSION = 2;

  /**
   * Adds another check's findings ({@link #writeFindings}) over the same product columns, read as they stream (its
   * candidates spill here as they would have there): the merge of the parts' findings gives the result one check over
   * all the values would give (the order values were tested in does not count).
   */
  public void mergeFindings(java.io.InputStream stream) throws java.io.IOException {
    java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(stream, 1 << 16));
    try {
      int version = in.readInt();
      if (version != FINDINGS_VERSION) {
        throw new java.io.IOException("leak check findings of format " + version + ", not " + FINDINGS_VERSION);
      }
      int width = in.readInt();
      if (width != columns.size()) {
        throw new IllegalArgumentException("findings over " + width + " columns cannot merge into a check over "
            + columns.size());
      }
      long checked = in.readLong();
      long[] shapes = new long[width];
      for (int c = 0; c < width; c++) {
        shapes[c] = in.readLong();
      }
      synchronized (candidates) {
        valuesChecked += checked;
        synchronized (shaped) {
          for (int c = 0; c < width; c++) {
            shaped[c] += shapes[c];
          }
        }
        for (long i = in.readLong(); i > 0; i--) {
          long h1 = in.readLong();
          long h2 = in.readLong();
          long meta = in.readLong();
          add(h1, h2, (int) (meta >> 1), (meta & 1) != 0);
        }
      }
    } catch (java.io.EOFException e) {
      throw new java.io.IOException("the leak check's findings are cut short", e);
    }
  }

  /** The hash a raw value is looked up by, as {@link #confirm} computes it; null for values too short to compare. */
  public static Hash128 rawHash(ValueKey key, Object value) {
    String text = ValueType.text(value);
    if (text == null || text.codePointCount(0, text.length()) < 2) {
      return null;
    }
    return key.reset().add(text).hash();
  }

  /** The same for a raw text value given as its UTF-8 bytes. */
  public static Hash128 rawHashUtf8(ValueKey key, byte[] utf8, int length) {
    if (LeakFilter.codePoints(utf8, length) < 2) {
      return null;
    }
    return key.reset().addUtf8(utf8, length).hash();
  }

  public Result result() {
    long total;
    synchronized (candidates) {
      total = candidateCount();
      if (spilled != null) {
        spill(); // none left in memory once the confirmation began
        // Unconfirmed candidates count as leaks: the check never passes on a guess.
        java.util.Arrays.fill(equal, 0);
        java.util.Arrays.fill(rebuilt, 0);
        spilled.count(equal, rebuilt, confirmed);
      } else if (candidates.size() > 0 && !confirmed) {
        candidates.countAll(equal, rebuilt);
      } else {
        candidates.countMarked(equal, rebuilt);
      }
    }
    Map<String, Long> eq = perColumn(equal);
    Map<String, Long> sh = perColumn(shaped);
    Map<String, Long> rb = perColumn(rebuilt);
    return new Result(eq.isEmpty() && sh.isEmpty() && rb.isEmpty(), eq, sh, rb, filter.rawValues(), total, false,
        valuesChecked);
  }

  /** Deletes the spilled candidates (and the folder this check made for them, if it made one). */
  @Override
  public void close() {
    synchronized (candidates) {
      if (spilled != null) {
        spilled.close();
      }
      if (ownSpillDir != null) {
        try {
          java.nio.file.Files.deleteIfExists(ownSpillDir);
        } catch (java.io.IOException ignored) {
          // a temporary folder: the system clears it
        }
      }
    }
  }

  private Map<String, Long> perColumn(long[] counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      if (counts[c] > 0) {
        out.put(columns.get(c), counts[c]);
      }
    }
    return out;
  }

  /**
   * Output values (or identifiers rebuilt from them) that hit the filter: hash, column, which of the two, and whether a
   * raw value confirmed them.
   */
  private static final class CandidateSet {
    private long[] h = new long[0];
    private int[] col = new int[0];
    private boolean[] hit = new boolean[0];
    private boolean[] rebuilt = new boolean[0];
    private int n;
    private boolean sorted = true;

    void add(long h1, long h2, int column, boolean fromRebuild) {
      if (n == col.length) {
        int cap = Math.max(64, n * 2);
        h = Arrays.copyOf(h, cap * 2);
        col = Arrays.copyOf(col, cap);
        hit = Arrays.copyOf(hit, cap);
        rebuilt = Arrays.copyOf(rebuilt, cap);
      }
      h[2 * n] = h1;
      h[2 * n + 1] = h2;
      col[n] = column;
      rebuilt[n] = fromRebuild;
      n++;
      sorted = false;
    }

    int size() {
      return n;
    }

    void mark(long h1, long h2) {
      if (!sorted) {
        sort();
      }
      int lo = 0;
      int hi = n - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = Long.compare(h[2 * mid], h1);
        if (c == 0) {
          c = Long.compare(h[2 * mid + 1], h2);
        }
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          // Equal hashes may repeat (one value in several rows or columns): mark the whole run.
          int i = mid;
          while (i > 0 && h[2 * (i - 1)] == h1 && h[2 * (i - 1) + 1] == h2) {
            i--;
          }
          for (; i < n && h[2 * i] == h1 && h[2 * i + 1] == h2; i++) {
            hit[i] = true;
          }
          return;
        }
      }
    }

    private void sort() {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> {
        int c = Long.compare(h[2 * x], h[2 * y]);
        return c != 0 ? c : Long.compare(h[2 * x + 1], h[2 * y + 1]);
      });
      long[] h2 = new long[2 * n];
      int[] c2 = new int[n];
      boolean[] hit2 = new boolean[n];
      boolean[] rebuilt2 = new boolean[n];
      for (int i = 0; i < n; i++) {
        h2[2 * i] = h[2 * order[i]];
        h2[2 * i + 1] = h[2 * order[i] + 1];
        c2[i] = col[order[i]];
        hit2[i] = hit[order[i]];
        rebuilt2[i] = rebuilt[order[i]];
      }
      h = h2;
      col = c2;
      hit = hit2;
      rebuilt = rebuilt2;
      sorted = true;
    }

    /** Every candidate as (h1, h2, column << 1 | rebuilt). */
    long[] copy() {
      long[] out = new long[3 * n];
      for (int i = 0; i < n; i++) {
        out[3 * i] = h[2 * i];
        out[3 * i + 1] = h[2 * i + 1];
        out[3 * i + 2] = ((long) col[i] << 1) | (rebuilt[i] ? 1 : 0);
      }
      return out;
    }

    /** The distinct hashes, sorted, as (h1, h2) pairs. */
    long[] distinctHashes() {
      if (!sorted) {
        sort();
      }
      long[] out = new long[2 * n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        if (m == 0 || out[2 * m - 2] != h[2 * i] || out[2 * m - 1] != h[2 * i + 1]) {
          out[2 * m] = h[2 * i];
          out[2 * m + 1] = h[2 * i + 1];
          m++;
        }
      }
      return Arrays.copyOf(out, 2 * m);
    }

    void countMarked(long[] equal, long[] fromRebuild) {
      Arrays.fill(equal, 0);
      Arrays.fill(fromRebuild, 0);
      for (int i = 0; i < n; i++) {
        if (hit[i]) {
          (rebuilt[i] ? fromRebuild : equal)[col[i]]++;
        }
      }
    }

    void clear() {
      n = 0;
      sorted = true;
      h = new long[0];
      col = new int[0];
      hit = new boolean[0];
      rebuilt = new boolean[0];
    }

    void countAll(long[] equal, long[] fromRebuild) {
      Arrays.fill(equal, 0);
      Arrays.fill(fromRebuild, 0);
      for (int i = 0; i < n; i++) {
        (rebuilt[i] ? fromRebuild : equal)[col[i]]++;
      }
    }
  }
}
