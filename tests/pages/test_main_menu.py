"""The main menu marks where the reader is: the list they are on ("page"), the family of the
record they are reading ("true", its breadcrumb marking the page), nothing on an error."""

import re

MARKED = re.compile(r'<nav class="site-nav".*?</nav>', re.S)


def marks(html: str) -> list[tuple[str, str]]:
    menu = MARKED.search(html).group(0)
    return re.findall(r'<a href="[^"]+" aria-current="([^"]+)">([^<]+)</a>', menu)


def test_a_list_is_the_current_page(client, seed):
    assert marks(client.get("/speakers/").content.decode()) == [("page", "Speakers")]


def test_a_record_is_within_its_list_not_the_list_itself(client, seed):
    html = client.get("/speakers/andrew-lansley/").content.decode()
    assert marks(html) == [("true", "Speakers")]
    assert html.count('aria-current="page"') == 1  # the breadcrumb's own page


def test_an_error_page_is_no_page_of_the_menu(client, seed):
    response = client.get("/speakers/nobody/")
    assert response.status_code == 404
    assert marks(response.content.decode()) == []
    assert marks(client.get("/").content.decode()) == []
