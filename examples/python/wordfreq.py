"""wordfreq: the most frequent words of a text.

    python3 wordfreq.py PATH [TOP]

PATH is a text file, or a directory whose files are all read (walked in
sorted order, so the answer never depends on the order of a listing).
Words are runs of letters, with inner apostrophes kept ("don't"), folded
to lower case. Prints a summary line stamped with the clock, then the TOP
(default 10) most frequent words, ties in alphabetical order.

In the sandbox the clock is virtual and the input is a tar image or a
host directory mounted for the program, so two runs print the same bytes.
"""

import collections
import datetime
import os
import re
import sys

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def paths_under(path):
    """Yields PATH itself if it is a file, else every file below it."""
    if not os.path.isdir(path):
        yield path
        return
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in sorted(filenames):
            yield os.path.join(dirpath, name)


def count_words(paths):
    """Returns the word counts and the number of files read."""
    counts = collections.Counter()
    files = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                counts.update(w.lower() for w in WORD.findall(line))
        files += 1
    return counts, files


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: wordfreq.py PATH [TOP]", file=sys.stderr)
        return 2
    top = int(argv[2]) if len(argv) == 3 else 10

    counts, files = count_words(paths_under(argv[1]))
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    stamp = datetime.datetime.now(datetime.timezone.utc)
    print(f"{files} files, {total} words, {len(counts)} distinct"
          f" ({stamp:%Y-%m-%d %H:%M:%S} UTC)")
    width = max((len(word) for word, _ in ranked[:top]), default=0)
    for rank, (word, n) in enumerate(ranked[:top], start=1):
        share = 100 * n / total
        print(f"{rank:3}  {word:<{width}}  {n:7}  {share:5.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
