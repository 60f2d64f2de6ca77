# SPDX-License-Identifier: MIT
class PagedList(list):
    """A page of results and the token of the next one (None on the last)."""

    def __init__(self, items, token):
        super().__init__(items)
        self.token = token
