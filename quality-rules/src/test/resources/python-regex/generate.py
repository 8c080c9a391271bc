"""Writes cases.json: what Python 3.11's re.search answers (or that re.compile refuses) for each pattern and value.
PythonRegexTest checks the Java translation against it. Run: python3.11 generate.py > cases.json"""
import json, re, sys, warnings

warnings.simplefilter("ignore")
VALUES = ["", "a", "abc", "ABC", "123", "١٢٣", "１２３", "张三", "café", "cafe\u0301", "a b", "a\u3000b", "a\x1cb",
          "a\nb", "a\rb", "a\u2028b", "a\u0085b", "abc\n", "abc\r", "abc\n\n", "\n", "a{", "{}", "{x}", "a{,2}", "aa",
          "aaa", "[:alpha:]", "x]", "&&", "a&b", "-", "^", "ß", "SS", "K", "\u212a", "ǅ", "①②", "²", "Ⅻ", "_", "‿",
          "a\tb", "\x0b", "é", "É", "x_y", "foo.bar", "True", "1e+16", "\x07", "\x00", "AbC", "😀", "a😀b", "\ufeff",
          "ſ", "ς", "σ", "Σ", "İ", "ı", "i", "I", "ǆ", "µ", "μ", "Ω", "ω", "\u2126", "٣", "𝟙", "𠀀", "a𠀀", "𠀀 b", "1𝟙", "𝟙 ", " 😀", "😀😀"]
PATTERNS = [
    r"^\d+$", r"\d", r"^\w+$", r"\w", r"\s", r"^\S+$", r"^\D+$", r"^\W+$", r"\b", r"\B", r"\bb", r"a\b", r"(?a)^\w+$",
    r"(?a)\d", r"(?a)\s", r"(?i)abc", r"(?i)k", r"(?i)ss", r"(?i)ß", r"(?i)é", r"(?ia)k", r"(?i)[a-z]+$", r"(?a:\w)+$",
    r"(?i:A)b", r"(?-i:a)", r"(?i)(?-i:a)B", r"^.$", r"^...$", r"(?s)^...$", r"(?s:.)", r"a.b", r"^abc$", r"abc$",
    r"abc\Z", r"\Aabc", r"(?m)^b", r"(?m)^$", r"(?m)a$", r"(?m)c$", r"^$", r"$", r"\Z", r"^\n$", r"^{}$", r"a{",
    r"{x}", r"a{,2}", r"^a{,2}$", r"^a{2,}$", r"^a{1,2}$", r"^a{ 1}$", r"a{1", r"^a{}$", r"^a{,}$", r"{", r"}", r"a}",
    r"[[:alpha:]]", r"^[[:alpha:]]+$", r"[a&&b]", r"&&", r"[]a]", r"[^]a]", r"[]]", r"[a-]", r"[-a]", r"[\d-]",
    r"[\w&]+$", r"[^\W\d]", r"^[^\W\d_]+$", r"[\s]", r"[\S]", r"[^\s]", r"[\D]", r"[\b]", r"[\x41-\x43]+", r"\x41",
    r"\u00e9", r"\U0001F600", r"\N{LATIN SMALL LETTER E WITH ACUTE}", r"\141", r"\0", r"[\0]", r"[\141]", r"\v", r"[\v]",
    r"\a", r"\t", r"\.", r"\-", r"\é", r"(?P<x>a)(?P=x)", r"(a)\1", r"(a)(?:\1)", r"(?P<名>a)", r"(?<x>a)", r"(?<=a)b",
    r"(?<!a)b", r"(?<=a|b)c", r"(?<=a|bc)c", r"(?<=a+)b", r"(?<=(a))\1", r"(?>a+)b", r"a++b", r"a*+", r"a?+", r"a{1,2}+",
    r"a*?b", r"a**", r"a*{2}", r"a*{", r"*a", r"^*", r"\b*", r"a|*", r"(?=a)*", r"()", r"(a|)", r"a|b", r"(?#c)a",
    r"(?#c)(?i)A", r"a(?i)b", r"(?i)(?m)A$", r"a|(?i)b", r"((?i)a)", r" (?x)a", r"(?x) a b # c", r"(?x)[ ]", r"(?x)a\ b",
    r"(?x)a{1, 2}", r"(?x:a b)", r"(?x)a#b\nc", r"(?u)\w", r"(?au)a", r"(?L)a", r"(?t)a", r"(?-a:a)", r"(?i-i:a)", r"(?z)a",
    r"(?", r"(?P", r"(?Px)", r"(?P<1>a)", r"(?P<x>a)(?P<x>b)", r"(?P=y)", r"(a", r"a)", r"[a", r"[]", r"[b-a]", r"[\d-z]",
    r"\p{L}", r"\P{L}", r"\pL", r"\Qa\E", r"\h", r"\H", r"\e", r"\z", r"\R", r"\X", r"\G", r"\k<x>", r"(?<x>a)\k<x>", r"\K",
    r"\c", r"\o", r"\i", r"\2", r"(a)\2", r"(a\1)", r"\x4", r"\xZZ", r"\u12", r"\U00110000", r"\N{NOT A NAME}", r"\400",
    r"\777", r"[\8]", r"a{3,2}", r"(?(1)a|b)", r"(a)(?(1)a|b)", r"(?:", r"\\", "\\", r"\1", r"x{1}{2}", r"(?i:(?x) a)",
    r"[\A]", r"[\Z]", r"\_", r"(?<a>x)", r"[a-\d]", r"a{4294967295}", r"(?i)Ǆ", r"(?i)ǆ", r"(?i)s", r"(?i)σ", r"(?i)i", r"(?i)I", r"(?i)µ", r"(?i)ω", r"(?i)[ς]", r"(?i)[ß]", r"(?ia)s",
    r"(?i)[^a-z]", r"(?i)[^s]", r"(?i)\w", r"\d$", r"(?i)(a)\1", r"(?i:s)S", r"(?a:s)", r"(?a)(?i:k)", r"\b\w", r"\w\b", r"\B\w", r"\w\B", r"(?a)\b", r"(?a)\B", r"^\b", r"\b$", r"\B$",
]
out = []
for p in PATTERNS:
    try:
        rx = re.compile(p)
    except re.error as e:
        out.append({"pattern": p, "error": e.msg})
        continue
    except (OverflowError, ValueError) as e:
        out.append({"pattern": p, "error": str(e)})
        continue
    out.append({"pattern": p, "matches": [v for v in VALUES if rx.search(v)]})
json.dump({"python": sys.version.split()[0], "values": VALUES, "cases": out}, sys.stdout, ensure_ascii=False, indent=0)
