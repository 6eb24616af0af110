"""Kernel side: give the next notebook an empty namespace on a warm kernel.

What `%reset -f` does for a notebook's outputs, without its two full garbage collections
(about 0.2 s per notebook on a kernel holding pandas and Altair): every user name, every cached
output (`_`, `_3`, `Out`) goes. Imported modules stay loaded, as with `%reset -f`.
"""

from __future__ import annotations


def clear(shell) -> None:
    hook = shell.displayhook
    for n in range(1, hook.prompt_count + 1):  # the output cache's `_N` names
        shell.user_ns_hidden.pop(f"_{n}", None)
        shell.user_ns.pop(f"_{n}", None)
    shell.user_ns.get("_oh", {}).clear()
    hook._ = hook.__ = hook.___ = ""
    shell.user_ns.update({"_": "", "__": "", "___": ""})
    for name in [n for n in shell.user_ns if n not in shell.user_ns_hidden]:
        del shell.user_ns[name]
    shell.last_execution_result = None
