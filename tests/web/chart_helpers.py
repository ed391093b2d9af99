"""The review charts' kinds, formats and addresses, as the chart tests ask for them."""

KINDS = ("divergence", "confidence", "votes")
FORMATS = ("svg", "png")


def url(review, kind="divergence", fmt="svg"):
    return f"/graphs/reviews/{review.id}/{kind}.{fmt}"
