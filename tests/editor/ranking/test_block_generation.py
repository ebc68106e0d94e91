"""Greedy block generation, line by line, with a scripted scorer: where the block ends, what it costs."""

from editor.ranking.block_generation import generate_block


class ScriptedScorer:
    """Characters are tokens; ``generate`` continues the middle along ``script`` to the next newline
    (``n`` tokens: the line and its newline), or ends it (an end token: one more logprob than tokens)."""

    def __init__(self, script: str, lp: float = -0.1) -> None:
        self.script = script
        self.lp = lp  # every token's log-probability
        self.calls = 0
        self.lookaheads: list = []
        self.heals: list[str] = []
        self.last_logprobs: list[float] = []

    def tokenize(self, text: str) -> list[int]:
        return [ord(c) for c in text]

    def generate(
        self, context, max_tokens, stop, lookahead=(), heal="", halt=None, lookup=None
    ):  # pylint: disable=too-many-arguments
        self.calls += 1
        self.lookaheads.append(list(lookahead))
        self.heals.append(heal)
        middle = "".join(chr(t) for t in context if t < 0x110000)[len("CTX") :]
        rest = self.script[len(middle) :][:max_tokens]
        for i in range(1, len(rest) + 1):  # halted after the first character for which it holds
            if halt is not None and stop not in rest[:i] and halt(rest[:i], [self.lp] * i):
                self.last_logprobs = [self.lp] * i
                return rest[:i], i
        if stop in rest:
            line = rest.split(stop)[0]
            self.last_logprobs = [self.lp] * (len(line) + 1)
            return line, len(line) + 1
        self.last_logprobs = [self.lp] * (len(rest) + 1)
        return rest, len(rest)


CTX = [ord(c) for c in "CTX"]


def test_the_block_ends_at_the_dedent():
    scorer = ScriptedScorer("    x = a\n    if x:\n        return x\nother = 1\n")
    out = generate_block(scorer, CTX, "    ", "    ")
    assert out.lines == ["x = a", "    if x:", "        return x"]
    assert scorer.calls == 4  # the fourth line was begun, seen to dedent, and dropped
    # "x = a" + "    if x:" + "        return x", each with its newline, then one character of
    # "other = 1": its dedent shows at once, and the rest of it is not generated
    assert out.tokens == 6 + 10 + 17 + 1


def test_a_line_halts_at_its_dedent_only_once_it_has_a_word():
    scorer = ScriptedScorer("    a = 1\n  b = 2\n")
    out = generate_block(scorer, CTX, "    ", "    ")
    assert out.lines == ["a = 1"] and out.tokens == 6 + 3  # "  b": the spaces alone did not halt it


def test_the_block_ends_at_an_empty_line_or_the_end_token():
    assert generate_block(ScriptedScorer("    a = 1\n\n    b = 2\n"), CTX, "    ", "    ").lines == ["a = 1"]
    scorer = ScriptedScorer("    a = 1\n    b = 2")
    out = generate_block(scorer, CTX, "    ", "    ")
    assert out.lines == ["a = 1", "    b = 2"] and scorer.calls == 2


def test_a_line_that_repeats_the_one_before_ends_the_block():
    scorer = ScriptedScorer("    a.pop()\n    a.update()\n    a.update()\n    a.update()\n    b = 1\n")
    out = generate_block(scorer, CTX, "    ", "    ")
    assert out.lines == ["a.pop()", "    a.update()"] and scorer.calls == 3  # no call after the loop shows


def test_a_body_below_the_bar_is_given_up_at_once():
    scorer = ScriptedScorer("    a = 1\n    b = 2\n    c = 3\n")
    asked = []

    def bar(lps):
        asked.append(len(lps))
        return -1.2

    out = generate_block(scorer, CTX, "    ", "    ", bar=bar)
    # "a = 1" and its newline: 6 tokens at -0.1; "    b = 2" is asked from its first word on,
    # and falls below -1.2 at its 7th token ("    b =": 13 tokens, -1.3)
    assert out.abandoned and scorer.calls == 2 and out.tokens == 6 + 7
    assert asked == [11, 12, 13]


def test_a_body_that_ends_after_one_line_never_asks_the_bar():
    asked = []
    out = generate_block(ScriptedScorer("    a = 1\nx = 2\n"), CTX, "    ", "    ", bar=asked.append)
    assert out.lines == ["a = 1"] and not out.abandoned and asked == []


def test_no_bar_yet_lets_the_body_go_on():
    out = generate_block(
        ScriptedScorer("    a = 1\n    b = 2\n", lp=-5.0), CTX, "    ", "    ", bar=lambda lps: None
    )
    assert out.lines == ["a = 1", "    b = 2"] and not out.abandoned


def test_a_doomed_body_is_given_up_after_the_line_that_dooms_it():
    scorer = ScriptedScorer("    a = 1\n    b = ghost\n    c = 3\n    d = 4\n")
    seen = []

    def doomed(lines):
        seen.append(list(lines))
        return "undefined name ghost" if "ghost" in lines[-1] else ""

    out = generate_block(scorer, CTX, "    ", "    ", doomed=doomed)
    assert out.abandoned and out.why == "undefined name ghost" and scorer.calls == 2
    assert seen == [["a = 1"], ["a = 1", "    b = ghost"]]


def test_line_and_token_budgets_hold():
    script = "".join(f"    x{i} = {i}\n" for i in range(20))
    assert len(generate_block(ScriptedScorer(script), CTX, "    ", "    ", max_lines=3).lines) == 3
    out = generate_block(ScriptedScorer(script), CTX, "    ", "    ", max_tokens=15)
    assert out.tokens <= 15 + 1 and len(out.lines) == 2


def test_cheap_blocks_that_agree_are_offered_as_lookahead():
    scorer = ScriptedScorer("    a = 1\n    b = 2\n")
    generate_block(scorer, CTX, "    ", "    ", lookahead=["a = 1\n    b = 2", "zzz"])
    first, second = scorer.lookaheads[:2]
    assert first == [[ord(c) for c in "a = 1\n    b = 2"], [ord(c) for c in "zzz"]]  # both continue "    "
    assert second == [[ord(c) for c in "    b = 2"]]  # "zzz" no longer agrees with the block so far


def test_leading_spaces_after_typed_indentation_are_dropped_from_the_first_line_only():
    out = generate_block(ScriptedScorer("     a = 1\n    b = 2\n"), CTX, "    ", "    ")
    assert out.lines == ["a = 1", "    b = 2"]


def test_healing_re_chooses_the_first_lines_last_space_only():
    scorer = ScriptedScorer("    a = 1\n    b = 2\n")
    out = generate_block(scorer, CTX, "    ", "    ", heal=True)
    assert out.lines == ["a = 1", "    b = 2"]
    assert scorer.heals == [" ", "", ""]  # the first line only


PREFIX = "import os\n\n\ndef count_lines(paths):\n    total = 0\n    for path in paths:\n"
SUFFIX = "\n    return total\n"


def test_a_healed_block_follows_the_line_draft_in_the_cache_for_free(scorer):
    """The block's first line is the line draft's tokens, read off the KV cache: no decode call."""
    context = scorer.fim_context(PREFIX, SUFFIX)
    typed = "        "
    cold = generate_block(scorer, context, typed, typed, max_lines=3, heal=True)
    assert cold.lines and cold.lines[0].strip()
    scorer.reset()
    heal = typed[-1:]
    line, _ = scorer.generate(context + scorer.tokenize(typed[:-1]), stop="\n", heal=heal)
    decodes = scorer.stats.decodes
    warm = generate_block(
        scorer, context, typed, typed, max_lines=3, heal=True, lookahead=[line[len(heal) :]]
    )
    assert warm.lines == cold.lines
    assert warm.lines[0] == line[len(heal) :].strip()
    first_line_tokens = len(scorer.tokenize(typed + warm.lines[0])) - len(scorer.tokenize(typed[:-1]))
    assert first_line_tokens >= 2
    # the cold run paid a decode call per token of every line; the warm one none for the first
    assert scorer.stats.decodes - decodes <= cold.tokens - first_line_tokens


def test_a_loop_of_two_lines_ends_the_block_without_its_repeat():
    body = (
        "    a = f()\n    if a:\n        b = g(a)\n    if a:\n        b = g(a)\n    if a:\n        b = g(a)\n"
    )
    scorer = ScriptedScorer(body)
    out = generate_block(scorer, CTX, "    ", "    ")
    assert out.lines == ["a = f()", "    if a:", "        b = g(a)"]
    assert scorer.calls == 5  # the pair was seen again on the fifth line; the sixth and seventh cost nothing
    assert len(out.logprobs) == len("a = f()\n    if a:\n        b = g(a)\n")  # the repeat's are dropped


def test_a_loop_that_leaves_a_header_last_drops_it():
    body = "    x = 1\n    y = 2\n    if x:\n    x = 1\n    y = 2\n    z = 3\n"
    scorer = ScriptedScorer(body)
    out = generate_block(scorer, CTX, "    ", "    ")
    # "x = 1" / "y = 2" again: both dropped, and "if x:" is left last without its body: dropped too
    assert out.lines == ["x = 1", "    y = 2"] and scorer.calls == 5


def test_a_pair_seen_once_is_no_loop():
    body = "    if a:\n        return 1\n    if b:\n        return 1\n    return 0\n"
    out = generate_block(ScriptedScorer(body), CTX, "    ", "    ")
    assert out.lines == ["if a:", "        return 1", "    if b:", "        return 1", "    return 0"]


def test_comment_lines_that_end_the_body_are_dropped_with_their_log_probabilities():
    out = generate_block(
        ScriptedScorer("    return x\n    # type: ignore\n    # more\n\n"), CTX, "    ", "    "
    )
    assert out.lines == ["return x"]
    assert len(out.logprobs) == len("return x") + 1  # the comments' tokens no longer count
    inner = generate_block(ScriptedScorer("    # why\n    a = 1\n    # done\n\n"), CTX, "    ", "    ")
    assert inner.lines == ["# why", "    a = 1"]  # a comment before code stays; the first line always


def test_a_whole_jump_at_the_bodys_indentation_ends_the_body():
    scorer = ScriptedScorer('    raise ValueError("no")\n    x = 1\n    y = 2\n')
    out = generate_block(scorer, CTX, "    ", "    ")
    assert out.lines == ['raise ValueError("no")'] and scorer.calls == 1
    later = generate_block(ScriptedScorer("    a = 1\n    return a\n    b = 2\n"), CTX, "    ", "    ")
    assert later.lines == ["a = 1", "    return a"]


def test_a_nested_or_unfinished_jump_does_not_end_the_body():
    nested = "    for x in y:\n        continue\n    z = 1\n"
    assert generate_block(ScriptedScorer(nested), CTX, "    ", "    ").lines == [
        "for x in y:",
        "        continue",
        "    z = 1",
    ]
    unfinished = "    return (\n        1\n    )\n"
    assert generate_block(ScriptedScorer(unfinished), CTX, "    ", "    ").lines == [
        "return (",
        "        1",
        "    )",
    ]
    named = "    returned = 1\n    b = 2\n"  # a name that starts like a keyword is no jump
    assert generate_block(ScriptedScorer(named), CTX, "    ", "    ").lines == ["returned = 1", "    b = 2"]
