"""The program the daemon benchmark serves: a word count of its standard
input. Everything before the read of stdin (the interpreter's start, the
imports) is the slow start the daemon pays once; the read is the fork
point. It ends with os._exit so that neither the cold run nor a daemon
copy spends time tearing the interpreter down."""

import collections
import hashlib
import json
import os
import re
import sys

data = sys.stdin.read()
words = re.findall(r"[a-z']+", data.lower())
top = collections.Counter(words).most_common(3)
print(json.dumps(top), hashlib.sha256(data.encode()).hexdigest()[:16], flush=True)
os._exit(0)
