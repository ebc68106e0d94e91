from editor.history import EditHistory


def test_undo_redo_round_trip_and_new_edit_clears_redo():
    h: EditHistory[str] = EditHistory()
    assert h.undo("a", (0, 0)) is None and h.redo("a", (0, 0)) is None
    h.record("a", (1, 1))  # edit a -> b at (1, 1)
    h.record("b", (2, 2))  # edit b -> c at (2, 2)
    assert h.undo("c", (5, 5)) == ("b", (2, 2))
    assert h.undo("b", (2, 2)) == ("a", (1, 1))
    assert not h.can_undo and h.can_redo
    assert h.redo("a", (1, 1)) == ("b", (2, 2))
    h.record("b", (3, 3))  # a new edit: what was undone cannot come back
    assert not h.can_redo
    assert h.undo("d", (3, 3)) == ("b", (3, 3))


def test_depth_is_bounded():
    h: EditHistory[int] = EditHistory(limit=3)
    for i in range(10):
        h.record(i, (i, 0))
    got = []
    while (step := h.undo(-1, (0, 0))) is not None:
        got.append(step[0])
    assert got == [9, 8, 7]
