import warnings

# Starlette 1.x prefers httpx2 for its TestClient; httpx works the same here.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
