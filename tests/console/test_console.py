"""The console in Debian's Chromium against a real server: login and roles, 自查 of a photo
with boxes, a held message released while the sender watches, incidents by filter and export,
a policy error at its line, a script shown as text, an auditor refused held content. Each
test saves screenshots of the pages it visits (tests/screenshots.py; docs/screenshots in the README)."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.service.support import PASSWORD, Api

ITINERARY = "周四下午王书记到港区调研，车队两点在大院门口出发"
HARMLESS = "明天上午九点在三楼会议室开周例会"


def test_login_sets_safe_cookies_and_nav_follows_the_role(console):
    page = console.page(None)
    response = page.goto("/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    console.shot(page, "login")
    page.fill("input[name=username]", "sender1")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("用户名或密码不正确")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/self-check$"))
    expect(page.locator("header nav a")).to_have_text(["自查"])
    cookie = next(c for c in page.context.cookies() if c["name"] == "baomi_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"

    officer = console.page("officer1")
    expect(officer.locator("header nav a")).to_have_text(
        ["自查", "待审", "事件", "统计", "策略", "登记库", "档案审计"]
    )
    auditor = console.page("auditor1")
    expect(auditor.locator("header nav a")).to_have_text(
        ["待审", "事件", "统计", "策略", "登记库", "档案审计", "审计日志"]
    )


def test_a_form_without_its_csrf_token_is_refused(server, org):
    api = Api(server.url)  # httpx keeps Secure cookies off plain http: they are copied by hand
    r = api.post("/login", data={"username": "sender1", "password": PASSWORD})
    assert r.status_code == 403 and "CSRF" in r.text
    token = api.get("/login").cookies["baomi_csrf"]
    api.http.cookies.set("baomi_csrf", token)
    ok = api.post("/login", data={"username": "sender1", "password": PASSWORD, "csrf": token})
    assert ok.status_code == 303
    api.http.cookies.set("baomi_session", ok.cookies["baomi_session"])
    assert api.get("/self-check").status_code == 200
    forged = api.post("/self-check", data={"text": HARMLESS, "channel": "direct", "csrf": "forged"})
    assert forged.status_code == 403 and "CSRF" in forged.text
    fine = api.post("/self-check", data={"text": HARMLESS, "channel": "direct", "csrf": token})
    assert fine.status_code == 200 and 'data-decision="allow"' in fine.text


def test_sender_photo_of_a_marked_page_is_blocked_with_boxes_drawn(console, photo):
    page = console.page("sender1", phone=True)
    page.goto("/self-check")
    console.shot(page, "self-check-phone")
    page.set_input_files("input[name=file]", str(photo["path"]))
    page.check("input[name=channel][value=work_group]")
    page.click("form.check-form button[type=submit]")
    result = page.locator("#result")
    expect(result).to_have_attribute("data-decision", "block")
    expect(result.locator(".verdict")).to_contain_text("不能发送")
    expect(result.locator(".tip")).to_contain_text("涉密文件资料")
    boxes = page.locator("svg.photo rect.box")
    assert boxes.count() >= 1
    # the first box covers the marking line where the page drew 机密★10年
    marking = next(box for text, box in photo["lines"] if "★" in text)
    x, y = float(boxes.first.get_attribute("x")), float(boxes.first.get_attribute("y"))
    assert marking[0] - 2 <= x <= marking[2] and marking[1] - 2 <= y <= marking[3]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # fits a phone
    expect(page.locator("dl.rules")).to_contain_text("R01")
    expect(page.locator(".instead")).to_contain_text("涉密网络")
    console.shot(page, "self-check-photo-blocked")


def test_message_with_script_is_shown_as_text(console):
    page = console.page("sender1")
    page.goto("/self-check")
    evil = (
        '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'
        " 这份通知标着机密★5年，别外传"
    )
    page.fill("textarea[name=text]", evil)
    page.check("input[name=channel][value=direct]")
    page.click("form.check-form button[type=submit]")
    expect(page.locator("#result")).to_have_attribute("data-decision", "block")
    marked = page.locator(".marked")
    expect(marked).to_contain_text("<script>window.__pwned = 1</script>")
    expect(marked.locator("mark")).to_contain_text(["机密★5年"])
    assert marked.locator("script, img").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    console.shot(page, "self-check-text")


def _open_queue(console, username="reviewer1"):
    page = console.page(username)
    page.goto("/queue")
    page.wait_for_function("() => !!window.htmx")
    return page


def test_held_message_claimed_and_approved_while_the_sender_watches(console):
    reviewer = _open_queue(console)
    before = reviewer.locator("#rows tr[data-id]").count()
    sender = console.page("sender1")
    sender.goto("/self-check")
    sender.fill("textarea[name=text]", ITINERARY)
    sender.check("input[name=channel][value=work_group]")
    sender.click("form.check-form button[type=submit]")
    expect(sender.locator("#result")).to_have_attribute("data-decision", "review")
    expect(sender.locator("#check-status")).to_have_attribute("data-status", "held")
    console.shot(sender, "self-check-held")

    # the open queue learns of the new hold by server-sent event, without a reload
    expect(reviewer.locator("#live")).to_contain_text("有新的待审消息", timeout=15_000)
    expect(reviewer.locator("#rows tr[data-id]")).to_have_count(before + 1)
    console.shot(reviewer, "queue")
    row = reviewer.locator("#rows tr[data-id]", has_text="R09").last
    hold_id = row.get_attribute("data-id")

    other = _open_queue(console, "officer1")  # another reviewer sees the claim live
    reviewer.goto(f"/queue/{hold_id}")
    expect(reviewer.locator("#content mark")).not_to_have_count(0)
    expect(reviewer.locator("#content")).to_contain_text("王书记")
    reviewer.keyboard.press("c")  # shortcut: claim
    expect(reviewer.locator("#hold-state")).to_have_text("审查中")
    expect(other.locator("#live")).to_contain_text("认领或处理", timeout=15_000)
    expect(other.locator(f"#rows tr[data-id='{hold_id}']")).to_contain_text("reviewer1")
    console.shot(reviewer, "hold")
    reviewer.select_option("#approve-form select[name=reason]", "not_secret")
    reviewer.fill("#approve-form input[name=reason_text]", "行程已在官网公布")
    reviewer.click("#approve")
    expect(reviewer.locator("#hold-state")).to_have_text("已放行")

    expect(sender.locator("#check-status")).to_have_attribute("data-status", "released", timeout=15_000)
    expect(sender.locator("#check-status")).to_contain_text("已放行")
    console.shot(sender, "self-check-released")


def test_bulk_claim_asks_for_the_count_and_can_be_undone(console, org):
    sender = Api.login(console.server.url, "sender1", PASSWORD)
    for place in ("东区", "西区"):
        text = f"周二上午张书记到{place}检查，九点从机关大门出发"
        assert (
            sender.post("/v1/checks", json={"text": text, "channel": "work_group"}).json()["decision"]
            == "review"
        )
    page = _open_queue(console)
    pending = page.locator("#rows tr[data-state=pending]")
    expect(pending).to_have_count(2)
    pending.nth(0).locator("input[name=items]").check()
    page.locator("h1").click()  # keys go to the page, not the checkbox
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")  # shortcut: tick the row under the cursor
    expect(page.locator("#count")).to_have_text("2")
    page.select_option("#bulk select[name=action]", "claim")
    asked = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.click("#bulk button[type=submit]")
    expect(page.locator("#undo")).to_be_visible()
    page.click("#undo-button")
    expect(page.locator("#live")).to_contain_text("已撤销")
    assert asked and "2 条" in asked[0]
    page.wait_for_timeout(6000)  # past the undo window: nothing was sent
    expect(page.locator("#bulk-result")).to_be_empty()
    page.click("#bulk button[type=submit]")
    expect(page.locator("#bulk-result")).to_contain_text("已认领 2 条", timeout=15_000)
    console.shot(page, "queue-bulk")


def test_auditor_sees_masked_evidence_and_is_refused_held_content(console, org):
    sender = Api.login(console.server.url, "sender1", PASSWORD)
    hold_id = sender.post(
        "/v1/checks", json={"text": "周三下午刘书记去开发区座谈，一点半在后门上车", "channel": "work_group"}
    ).json()["hold_id"]
    page = console.page("auditor1")
    page.goto(f"/queue/{hold_id}")
    expect(page.locator("#masked-only")).to_be_visible()
    expect(page.locator(".evidence")).to_contain_text("R09")
    assert "刘书记" not in page.content()
    assert page.locator("#claim").count() == 0
    console.shot(page, "hold-auditor")
    response = page.goto(f"/queue/{hold_id}/content")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("无权访问")
    assert "刘书记" not in page.content()


def test_incident_found_by_filter_and_exported(console, org):
    sender = Api.login(console.server.url, "sender2", PASSWORD)
    blocked = sender.post(
        "/v1/checks", json={"text": "档案室那份绝密★长期的名单先别动", "channel": "moments"}
    )
    assert blocked.json()["decision"] == "block"
    page = console.page("officer1")
    page.goto("/incidents")
    page.select_option("select[name=rule]", "R01")
    page.select_option("select[name=channel]", "moments")
    page.fill("input[name=sender]", "sender2")
    page.click("#incident-filter button[type=submit]")
    rows = page.locator("table.incidents tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("朋友圈")
    expect(rows.first).to_contain_text("绝密★")
    console.shot(page, "incidents")
    with page.expect_download() as got:
        page.click("#export-csv")
    data = got.value.path().read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0][0] == "事件编号" and len(table) == 2
    assert "moments" in table[1] and "名单" not in data  # masked evidence only
    rows.first.locator("a").click()
    expect(page.locator("h1")).to_have_text("事件详情")
    expect(page.locator("table")).to_contain_text("sender2")
    console.shot(page, "incident")


def test_policy_upload_shows_the_error_at_its_line_then_a_diff(console, org):
    page = console.page("officer1")
    page.goto(f"/policy?unit_id={org['office']}")
    expect(page.locator("table.matrix")).to_contain_text("R01")
    bad = "mode: enforce\nmatrix:\n  R05: {direct: blok}\n"
    page.fill("#yaml-text", bad)
    page.click("#policy-form button[type=submit]")
    errors = page.locator("#policy-errors")
    expect(errors).to_contain_text("第 3 行")
    expect(page.locator("#line-3")).to_have_class("bad")
    console.shot(page, "policy-error")
    page.fill("#yaml-text", "mode: enforce\nmatrix:\n  R05: {direct: block}\n")
    page.click("#policy-form button[type=submit]")
    expect(page.locator("table.matrix tr", has_text="R05").locator("td").first).to_have_text(
        re.compile("^拦截")
    )
    page.click("#mode-switch")  # shadow mode: a new version with mode: shadow, active
    expect(page.locator("#mode")).to_contain_text("试运行")
    console.shot(page, "policy")
    page.locator("a", has_text="与上一版比较").first.click()
    expect(page.locator("pre.diff .add")).to_contain_text(["mode: shadow"])
    console.shot(page, "policy-diff")
    page.goto(f"/policy?unit_id={org['office']}")
    page.click("#mode-switch")  # back to enforcement for the other tests
    expect(page.locator("#mode")).to_contain_text("正式执行")


def test_dashboard_audit_log_and_admin_pages(console, org):
    page = console.page("officer1")
    page.goto("/dashboard")
    for chart in ("days", "rules", "channels", "top", "rates", "queue"):
        expect(page.locator(f"#chart-{chart} svg")).to_have_count(1)
    console.shot(page, "dashboard")
    auditor = console.page("auditor1")
    auditor.goto("/audit")
    expect(auditor.locator("#verify")).to_have_attribute("data-ok", "true")
    expect(auditor.locator("table")).to_contain_text("auth.login")
    console.shot(auditor, "audit")
    admin = console.page("admin")
    admin.goto("/admin")
    admin.fill("form[action='/admin/units'] input[name=name]", "信息科")
    admin.click("form[action='/admin/units'] button")
    expect(admin.locator("ul.units")).to_contain_text("信息科")
    console.shot(admin, "admin")
    refused = console.page("sender1").goto("/admin")
    assert refused.status == 403
