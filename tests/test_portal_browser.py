"""The portal in a real browser (Debian's headless Chromium, driven by Selenium through Debian's
chromedriver; nothing downloaded): a unit signs in, downloads its template, uploads it filled in
with one bad row, reads the Chinese problem on the page, fixes it and uploads again; the
office's page then shows the unit as reported. Screenshots are kept in tests/artifacts/."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from portal_services import OFFICE, OFFICE_PASSWORD, PASSWORDS, WEEK20_ROWS, PortalServer, filled_template, portal_server
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from services import ARTIFACTS_DIR, chromium_binary

pytestmark = pytest.mark.timeout(240)
CHROMEDRIVER = "/usr/bin/chromedriver"
UNIT = "区民政局"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[tuple[WebDriver, Path]]:
    chromium = chromium_binary()
    if chromium is None or not Path(CHROMEDRIVER).is_file():
        pytest.skip("no chromium and chromedriver (make test installs the Debian packages chromium and chromium-driver)")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--lang=zh-CN", "--window-size=1280,1500", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver, downloads
    finally:
        driver.quit()


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalServer]:
    with portal_server(tmp_path / "portal") as server:
        yield server


def _shot(driver: WebDriver, name: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(900, min(height + 100, 4000)))
    driver.save_screenshot(str(ARTIFACTS_DIR / f"portal-{name}.png"))


def _sign_in(driver: WebDriver, portal: PortalServer, name: str, password: str) -> None:
    driver.get(f"{portal.url}/signin")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    _submit(driver, "/signin")


def _submit(driver: WebDriver, action: str) -> None:
    """Click the button of the form posting to `action` and wait for the page it answers with
    (a click does not always wait for the navigation, and the page before may look alike)."""
    form = driver.find_element(By.CSS_SELECTOR, f"form[action='{action}']")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 30).until(expected_conditions.staleness_of(form))


def _upload(driver: WebDriver, path: Path) -> str:
    driver.find_element(By.ID, "file").send_keys(str(path))
    _submit(driver, "/unit/upload")
    return driver.find_element(By.ID, "outcome").text


def _downloaded(folder: Path, name: str) -> Path:
    deadline = time.monotonic() + 30
    while not (folder / name).is_file() or list(folder.glob("*.crdownload")):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {name} downloaded: {sorted(p.name for p in folder.iterdir())}")
        time.sleep(0.2)
    return folder / name


def test_a_unit_fixes_its_upload_in_the_browser_and_the_office_sees_it_reported(
        browser: tuple[WebDriver, Path], portal: PortalServer, tmp_path: Path) -> None:
    driver, downloads = browser
    _sign_in(driver, portal, UNIT, PASSWORDS[UNIT])
    assert driver.current_url == f"{portal.url}/unit"
    assert driver.find_element(By.ID, "week-state").text == "尚未报送"
    _shot(driver, "1-unit-week")

    driver.find_element(By.LINK_TEXT, "下载空白模板（.xlsx）").click()
    template = _downloaded(downloads, f"工作动态报送模板-{UNIT}.xlsx").read_bytes()
    bad = [*WEEK20_ROWS[:2], (dt.date(2022, 5, 19), "养老服务", "养老服务中心开放", "动态")]
    first = tmp_path / "本周动态.xlsx"
    first.write_bytes(filled_template(UNIT, bad, template=template))
    outcome = _upload(driver, first)
    assert "已接收（2022-W20）：计入2行，退回1行" in outcome
    assert "第4行：领域“养老服务”不在方案的工作领域（经济高质量发展、收入分配、区域协调发展、公共服务优质共享、社会文化、" \
           "生态文明建设、社会治理）中" in outcome
    _shot(driver, "2-unit-problem")

    fixed = tmp_path / "本周动态（修改）.xlsx"
    fixed.write_bytes(filled_template(UNIT, WEEK20_ROWS, template=template))
    outcome = _upload(driver, fixed)
    assert "已接收（2022-W20）：计入3行" in outcome and "第4行" not in outcome
    assert "替换了同一周此前上传的 2022/dynamics/区民政局/2022-W20-1.xlsx" in outcome
    assert driver.find_element(By.ID, "week-state").text == "已报送"
    _shot(driver, "3-unit-fixed")

    _submit(driver, "/signout")
    _sign_in(driver, portal, OFFICE, OFFICE_PASSWORD)
    assert driver.current_url == f"{portal.url}/office"
    rows = {row.find_elements(By.TAG_NAME, "td")[0].text: row.find_elements(By.TAG_NAME, "td")[1].text
            for row in driver.find_elements(By.CSS_SELECTOR, "#units tbody tr")}
    assert rows == {"区民政局": "已报", "区教育局": "未报", "西溪街道": "未报"}
    assert driver.find_element(By.ID, "missing").text == "区教育局、西溪街道"
    _shot(driver, "4-office-status")
    shutil.rmtree(downloads)
