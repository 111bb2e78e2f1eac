"""What a page's layout does on a small screen, as a browser measures it."""


def sideways_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0: it fits its viewport's width)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
