"""Stand-in for the wget package: utils.download_file is only used by tests that fetch media from the
internet, which the harness does not run offline."""


def download(url, out=None):
    raise RuntimeError(f"offline test run: refusing to download {url}")
