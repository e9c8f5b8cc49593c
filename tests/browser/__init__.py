"""Browser tests: every course notebook run in JupyterLab in headless Chromium."""
