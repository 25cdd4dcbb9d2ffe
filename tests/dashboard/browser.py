#!/usr/bin/python3
"""The dashboard in a real browser (headless Chromium through chromedriver, python3-selenium).

  browser.py URL SENSOR REDIS_URL LATE_PCAP SCREENSHOT PROFILE_DIR

Opens URL, waits for the page's JS to render the state from Redis, checks that the top
incident is the story capture's host with both stages, then runs SENSOR over LATE_PCAP into
REDIS_URL while the page stays open and waits for that capture's alert to appear without a
reload (a marker set on window before must survive).  Saves SCREENSHOT.  Prints TAP lines.
"""
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

STORY_HOST = "10.20.66.6"
LATE_DEST = "198.51.100.33:34567"     # stratum-nicehash.pcap's pool


def tap(ok, name, why=""):
    print(("ok - " if ok else "not ok - ") + "dashboard: " + name +
          ("" if ok or not why else "  # " + why))
    return ok


def wait_for(fn, timeout):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v
        except Exception:           # element not there yet
            pass
        time.sleep(0.2)
    return None


def main():
    url, sensor, redis_url, late, shot, profile = sys.argv[1:7]
    opts = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1500", "--user-data-dir=" + profile):
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    failed = 0
    try:
        drv.get(url)
        cards = wait_for(lambda: drv.find_elements(By.CSS_SELECTOR, "#incidents .incident"), 15)
        if not tap(bool(cards), "incidents rendered by the page's JS"):
            return 1
        top = cards[0]
        failed += not tap(top.get_attribute("data-host") == STORY_HOST,
                          "top incident is the story host " + STORY_HOST,
                          "top is %s" % top.get_attribute("data-host"))
        stages = (top.get_attribute("data-stages") or "").split(",")
        failed += not tap("tunnel" in stages and "mining" in stages,
                          "top incident has stages tunnel and mining", ",".join(stages))
        failed += not tap("100" in top.find_element(By.CSS_SELECTOR, ".score").text,
                          "top incident score 100")
        rows = drv.find_elements(By.CSS_SELECTOR, "#alerts tr.alert")
        failed += not tap(len(rows) > 0, "alert list rendered (%d rows)" % len(rows))
        failed += not tap(wait_for(lambda: drv.find_element(By.ID, "conn").text == "live", 10),
                          "event stream connected")
        before = len(drv.find_elements(By.CSS_SELECTOR, '#alerts tr[data-dest="%s"]' % LATE_DEST))
        failed += not tap(before == 0, "no alert for %s before the late capture" % LATE_DEST)
        drv.execute_script("window.__noReload = 42;")
        t0 = time.time()
        subprocess.run([sensor, "-r", late, "-c", "rules/egress.yaml", "--sensor-name", "demo",
                        "--redis", redis_url], check=True, stderr=subprocess.DEVNULL)
        row = wait_for(lambda: drv.find_elements(
            By.CSS_SELECTOR, '#alerts tr[data-dest="%s"]' % LATE_DEST), 15)
        failed += not tap(bool(row), "the late capture's alert appears live (%.1f s)"
                          % (time.time() - t0))
        failed += not tap(drv.execute_script("return window.__noReload;") == 42,
                          "without a reload")
        if row:
            row[0].click()
            ev = wait_for(lambda: drv.find_element(By.CSS_SELECTOR, "#alerts tr.evidence pre"), 5)
            failed += not tap(ev is not None and "ethereumstratum" in ev.text,
                              "clicking the alert shows its evidence")
        drv.find_element(By.ID, "f-detector").send_keys("stratum")
        vis = drv.find_elements(By.CSS_SELECTOR, "#alerts tr.alert")
        failed += not tap(vis and all(r.get_attribute("data-detector") == "stratum" for r in vis),
                          "detector filter keeps only stratum alerts (%d)" % len(vis))
        drv.find_element(By.ID, "f-detector").send_keys("all")
        drv.execute_script("window.scrollTo(0, 0);")
        time.sleep(0.3)
        drv.save_screenshot(shot)
        tap(True, "screenshot saved to " + shot)
    finally:
        drv.quit()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
