# Generates strptime-cases.jsonl, the oracle StrftimeFormatTest checks StrftimeFormat against:
#   python3 generate.py > strptime-cases.jsonl   (CPython 3.11, C locale, TZ=UTC)
# Each line is {"f": format, "v": value, "ok": datetime.strptime(v, f) returns} or, for a format GX 1.2 refuses
# (its validator parses datetime.now(utc) printed in the format; anything raised refuses), {"f": format, "refused": msg}.
# Deterministic: fixed seed, fixed "now". First hand-picked formats and values, then random formats (directives and
# literals) with random datetimes printed in them and mutated (case, deleted or inserted characters, Unicode digits
# and spaces).
import datetime, json, random

rnd = random.Random(20261206)
NOW = datetime.datetime(2024, 1, 5, 12, 30, 45, 123456, tzinfo=datetime.timezone.utc)
FORMATS = [
    "%Y-%m-%d", "%d %b %Y", "%H:%M:%S.%f", "%Y-%m-%d %H:%M", "%a %Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z",
    "%y-%m-%d", "%m-%d", "%d/%m/%Y", "%m/%d/%y", "%Y%m%d", "%Y%m%d%H%M%S", "%B %d, %Y", "%A, %d %B %Y",
    "%I:%M %p", "%I:%M:%S%p", "%I:%M", "%H", "%M:%S", "%j", "%Y-%j", "%Y %U %a", "%Y %W %w", "%Y %U",
    "%G-W%V-%u", "%G %V %a", "%c", "%x", "%X", "%Y-%m-%d %Z", "%Y-%m-%d %z", "%z", "%%Y %Y", "100%% %d",
    "%Y.%m.%d", "(%Y)", "[%m]|%d", "%Y-%m-%d\t%H", "T%H", "%Y年%m月%d日", "%b", "%B", "%a", "%A", "%p",
    "%f", "%S", "%y", "%Y", "%d", "%m", "%u %w", "%U %W %Y %a",
    # refused by GX
    "%Y-%m-%d%", "%Q", "%Y %Y", "%c %Y", "%V", "%G", "%G-%V", "%G %V %u %j", "%Y %V %a", "%s", "%-d", "% d",
    "%.", "%", "%e", "%x %d",
]

def ok(v, f):
    try:
        datetime.datetime.strptime(v, f)
        return True
    except ValueError:
        return False

def refusal(f):
    try:
        datetime.datetime.strptime(NOW.strftime(f), f)
        return None
    except Exception as e:
        return str(e)

SAMPLES = [datetime.datetime(2024, 1, 5, 9, 5, 7, 500000), datetime.datetime(1999, 12, 31, 23, 59, 59),
           datetime.datetime(2024, 2, 29, 0, 0, 0, 1), datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31, 12),
           datetime.datetime(2021, 1, 3, 12, 0), datetime.datetime(1969, 7, 20, 20, 17)]
ZONES = ["+08:00", "+0800", "-0530", "Z", "z", "+08:00:30", "+0800:30", "+08:0030", "+2359", "+2400", "-24:00",
         "+08:00:00.5", "+080000.123456", "+0860", "UTC", "", "+8:00"]
EXTRA = ["", " ", "0000-01-01", "-2024-01-05", "2024-1-5", "05 jan 2024", "05 JAN 2024", "5 Jan 2024",
         "12:00:00.5", "2024-01-05  12:00", "Mon 2024-01-02", "2024-01-05T12:00:00+08:00", "2024-01-05T12:00:00Z",
         "2024-01-05t12:00:00Z", "２０２４-01-05", "2024-02-30", "02-29", "2023-02-29", "12:00:60", "12:00:61",
         "24:00", "13:00 PM", "12:00 am", "12:00 pm", "00:00 AM", "2024-01-05\n", "2024-01-05 ", " 2024-01-05",
         "2024-01-5 ", "ſep", "Sept", "Sep", "sEpTeMbEr", "2024-366", "2023-366", "2024-000", "2024 00 Mon",
         "0001 00 Mon", "2024 53 Sun", "2020-W53-7", "0001-W01-1", "9999-W52-5", "2024-01-05 utc", "2024-01-05 GMT",
         "2024-01-05 EST", "Fri Jan  5 12:00:00 2024", "Fri Jan 5 12:00:00 2024", "01/05/24", "1/5/24", "12:00:00",
         "2024-01-05\u00a012", "2024-01-05\u300012", "2024-01-05\x1c12", "2024-01-05\u200b12", "2024-01-05\u0085 12"]

def mutations(s):
    out = {s, s.lower(), s.upper(), s + "x", s + " ", s[:-1], " " + s, s.replace(" ", "  "), s.replace(" ", "\t")}
    out.add(s.replace("0", "", 1))
    out.add("".join(chr(ord(c) - 48 + 0xFF10) if c.isdigit() and rnd.random() < 0.3 else c for c in s))
    out.add("".join(chr(ord(c) - 48 + 0x0660) if c.isdigit() and rnd.random() < 0.3 else c for c in s))
    for _ in range(4):
        if s:
            i = rnd.randrange(len(s))
            if s[i].isdigit():
                out.add(s[:i] + str(rnd.randrange(10)) + s[i + 1:])
            out.add(s[:i] + s[i + 1:])
    return out

lines = []
for f in FORMATS:
    r = refusal(f)
    if r is not None:
        lines.append({"f": f, "refused": r})
        continue
    values = set(EXTRA)
    for d in SAMPLES:
        for z in (ZONES if "%z" in f else [None]):
            dz = d if z is None else d.replace(tzinfo=datetime.timezone.utc)
            s = dz.strftime(f)
            if z is not None:
                s = s.replace("+0000", z)
            values |= mutations(s)
    for v in sorted(values):
        lines.append({"f": f, "v": v, "ok": ok(v, f)})
DIRS = list("dfHIGjmMSUWwuVyYzAaBbpZ%cxX")
LITS = ["-", ":", " ", "  ", "T", "t", "/", ".", ",", "x", "年", "\t", "(", "|", "ß", "K", "s", "S"]

def random_datetime():
    if rnd.random() < 0.5:
        d = datetime.date.fromordinal(rnd.randrange(1, 3652059))
    else:
        d = datetime.date(rnd.choice([1, 1900, 1969, 2000, 2020, 2024, 9999]), rnd.randrange(1, 13), rnd.randrange(1, 29))
    tz = datetime.timezone(datetime.timedelta(minutes=rnd.randrange(-1439, 1440)))
    return datetime.datetime(d.year, d.month, d.day, rnd.randrange(24), rnd.randrange(60), rnd.randrange(60),
                             rnd.randrange(10**6), tzinfo=tz)

def mutate(s):
    if not s:
        return s
    op, i = rnd.randrange(9), rnd.randrange(len(s))
    if op == 0: return s.lower()
    if op == 1: return s.upper()
    if op == 2: return s[:i] + s[i + 1:]
    if op == 3: return s[:i] + rnd.choice("0123456789 :-+Z.") + s[i:]
    if op == 4: return s[:i] + rnd.choice("0123456789") + s[i + 1:]
    if op == 5: return "".join(chr(ord(c) - 48 + rnd.choice([0xFF10, 0x660, 0x966, 0x1D7CE]))
                               if c.isdigit() and rnd.random() < 0.3 else c for c in s)
    if op == 6: return s.replace(" ", rnd.choice(["\u00a0", "\u3000", "\x1c", "\u200b", "\u0085", "\n"]))
    if op == 7: return s.replace("0", "", 1)
    return s

for _ in range(300):
    f = "".join("%" + rnd.choice(DIRS) if rnd.random() < 0.6 else rnd.choice(LITS) for _ in range(rnd.randrange(1, 6)))
    r = refusal(f)
    if r is not None:
        lines.append({"f": f, "refused": r})
        continue
    values = set()
    for _ in range(12):
        s = random_datetime().strftime(f)
        values |= {s, mutate(s), mutate(mutate(s))}
    for v in sorted(values):
        lines.append({"f": f, "v": v, "ok": ok(v, f)})
for l in lines:
    print(json.dumps(l, ensure_ascii=False))
