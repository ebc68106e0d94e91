from editor.slot_shape import needs_header, unit_at

FTP = """class FTP:
    def ntransfercmd(self, cmd, rest=None):
        size = None
        if self.passiveserver:
            conn = socket.create_connection(self.makepasv(), self.timeout)
        else:
            with self.makeport() as sock:
                if rest is not None:
                    self.sendcmd("REST %s" % rest)
                resp = self.sendcmd(cmd)
                if resp[0] == '2':
                    resp = self.getresp()
                if resp[0] != '1':
                    raise error_reply(resp)
                conn, sockaddr = sock.accept()
                XX
                    conn.settimeout(self.timeout)
        return conn, size
"""


def test_only_a_header_fits_above_a_deeper_body():
    lines = FTP.split("\n")
    row = next(i for i, text in enumerate(lines) if text.strip() == "XX")
    lines[row] = " " * 16
    assert needs_header(lines, row, " " * 16)


def test_a_line_that_may_open_a_bracket_or_stand_alone_is_not_held_to_a_header():
    lines = ["def f(sock, host):", "    ", "        server_hostname=host)", "    return sock", ""]
    assert not needs_header(lines, 1, "    ")  # `sock = wrap(sock,` continued below
    lines = ["def f(a):", "    b = 1", "    ", "    return a", ""]
    assert not needs_header(lines, 2, "    ")  # the next line is not deeper
    lines = ["def f(a):", "    b = 1", "    ", ""]
    assert not needs_header(lines, 2, "    ")  # nothing below


def test_a_try_header_is_found_where_an_if_does_not_fit():
    lines = ["def f(a):", "    ", "        a.go()", "    except OSError:", "        pass", ""]
    assert needs_header(lines, 1, "    ")


def test_unit_at_finds_the_top_level_definition_and_its_decorators():
    lines = ["X = 1", "", "@wrap", "def f():", "    return 1", "", "", "Y = 2"]
    assert unit_at(lines, 4) == (2, 7)
    assert unit_at(lines, 0) == (None, 0)
