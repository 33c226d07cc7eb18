"""A real browser for the dashboard tests: Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver (both paths given, so Selenium Manager never downloads anything).

JavaScript is switched off in the browser's settings unless a test asks for it: every core
action must work as plain HTML forms and links (the applicant's pages are also tested with their
script on). A phone-sized browser is 360 px wide, as a mobile device. Waits are for a specific
element or text, with a generous timeout.
Screenshots (whole page, at a phone's and a desktop's width) go to artifacts/screenshots/.
"""

from __future__ import annotations

import base64
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
WAIT = 30  # seconds: generous; a wait ends as soon as its element is there
PHONE, DESKTOP = 360, 1280


class Browser:
    def __init__(
        self,
        chromium: tuple[str, str],
        base_url: str,
        downloads: Path,
        *,
        javascript: bool = False,
        phone: bool = False,
    ) -> None:
        browser, driver = chromium
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for arg in (
            "--headless=new",
            "--no-sandbox",  # CI runs as root
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            f"--window-size={DESKTOP},900",
        ):
            options.add_argument(arg)
        options.add_experimental_option(
            "prefs",
            {
                "profile.managed_default_content_settings.javascript": 1 if javascript else 2,
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
            },
        )
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        self.driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        self.base_url = base_url
        self.downloads = downloads
        self.phone = phone
        self._size()

    def _size(self) -> None:
        """A phone's viewport (360 x 740, touch-sized), or the desktop window as started."""
        if self.phone:
            metrics = {"width": PHONE, "height": 740, "deviceScaleFactor": 1, "mobile": True}
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)

    def close(self) -> None:
        self.driver.quit()

    def wait(self) -> WebDriverWait:
        """A page replaced between finding an element and reading it (a navigation under way) is
        simply looked at again: stale elements, and Chrome's "node does not belong to the document"."""
        return WebDriverWait(self.driver, WAIT, ignored_exceptions=(WebDriverException,))

    def go(self, url: str) -> None:
        self.driver.get(url if url.startswith("http") else self.base_url + url)

    def heading(self) -> str:
        return str(self.wait().until(lambda d: d.find_element(By.TAG_NAME, "h1").text))

    def text(self) -> str:
        return str(self.wait().until(lambda d: d.find_element(By.TAG_NAME, "body").text))

    def wait_for_heading(self, words: str) -> None:
        self.wait().until(lambda d: words in d.find_element(By.TAG_NAME, "h1").text)

    def wait_for_text(self, words: str) -> None:
        self.wait().until(lambda d: words in d.find_element(By.TAG_NAME, "body").text)

    def press(self, label: str) -> None:
        """The button with this visible label."""
        button = self.wait().until(EC.element_to_be_clickable((By.XPATH, f'//button[normalize-space()="{label}"]')))
        button.click()

    def follow(self, label: str) -> None:
        link = self.wait().until(EC.element_to_be_clickable((By.PARTIAL_LINK_TEXT, label)))
        link.click()

    def open_details(self, summary: str) -> None:
        """Unfold a <details> by its summary (no script needed: the browser does it)."""
        element = self.wait().until(
            EC.element_to_be_clickable((By.XPATH, f'//summary[starts-with(normalize-space(), "{summary}")]'))
        )
        if element.find_element(By.XPATH, "..").get_attribute("open") is None:
            element.click()

    def choose(self, label: str, option: str) -> None:
        """Pick `option` in the select whose <label> reads `label`."""
        target = self.driver.find_element(By.XPATH, f'//label[normalize-space()="{label}"]').get_attribute("for")
        Select(self.driver.find_element(By.ID, str(target))).select_by_visible_text(option)

    def focused(self) -> WebElement:
        return self.driver.switch_to.active_element

    def screenshot(self, name: str) -> list[Path]:
        """The whole page at a phone's width and at a desktop's."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        paths = []
        for width in (PHONE, DESKTOP):
            metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width == PHONE}
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            height = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": int(height) + 1})
            shot = self.driver.execute_cdp_cmd(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
            )
            path = SCREENSHOTS / f"{name}-{width}.png"
            path.write_bytes(base64.b64decode(shot["data"]))
            paths.append(path)
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self._size()
        return paths
