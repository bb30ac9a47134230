"""The demo county's emergency broadcasts over the past year: routine notices and policies from
the county and two villages, and a few emergencies (a flood warning for 天度镇, a fire at 西关村,
an epidemic notice for the whole county). Each is composed by one account and approved by
another who may (never its composer), with its timeline; those sent have a delivery per terminal
of their target, written here as rows (no broker runs during the load): played by the terminals
online, failed for the offline and faulty ones. The last few wait: one submitted for the demo
approver, one draft, one rejected and one cancelled before it went out."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.broadcast.delivery import EXPIRED_DETAIL, OFFLINE_DETAIL
from gridgov.broadcast.models import (
    Broadcast,
    BroadcastEvent,
    Certainty,
    Delivery,
    DeliveryStatus,
    MessageKind,
    Severity,
    Terminal,
    TerminalStatus,
    Urgency,
)
from gridgov.broadcast.services import scope_code
from gridgov.broadcast.signing import signed_delivery
from gridgov.broadcast.simulator import FAULT_DETAIL
from gridgov.broadcast.states import Action, State, next_state
from gridgov.core.codes import minimal_cover
from gridgov.core.scoping import jurisdiction_q
from gridgov.demo import logins, names

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

# The places of the demo's logins (see logins.DEMO_ACCOUNTS).
COUNTY = names.COUNTY_CODE
TIANDU = "610324100"  # 天度镇
XIGUAN = "610324001200"  # 西关村, 城关街道
TIANDU_VILLAGE = TIANDU + "200"  # 天度村
# Of the terminals online when a message went out, this share never answered before it expired.
UNANSWERED_SHARE = 0.01


@dataclass(frozen=True)
class Planned:
    """One message of the year: who wrote it, who approved it, how long ago and how it ended."""

    days_ago: int
    kind: str
    title: str
    text: str
    targets: tuple[str, ...]
    composer: str
    approver: str
    state: str = State.COMPLETED
    note: str = ""


ROUTINE: tuple[str, str, str] = (Severity.MINOR, Urgency.FUTURE, Certainty.LIKELY)
EMERGENCY: dict[str, tuple[str, str, str]] = {
    MessageKind.FLOOD: (Severity.SEVERE, Urgency.IMMEDIATE, Certainty.LIKELY),
    MessageKind.FIRE: (Severity.SEVERE, Urgency.IMMEDIATE, Certainty.OBSERVED),
    MessageKind.EPIDEMIC: (Severity.MODERATE, Urgency.EXPECTED, Certainty.LIKELY),
}
N, P = MessageKind.NOTICE, MessageKind.POLICY

PLAN: tuple[Planned, ...] = (
    Planned(360, N, "元旦春节期间安全提示", "元旦春节将至，请广大群众安全燃放烟花爆竹，注意用火用电安全，外出务必锁好门窗。", (COUNTY,), "operator", "approver"),
    Planned(335, P, "城乡居民医疗保险缴费通知", "2027年度城乡居民基本医疗保险开始缴费，请各户于二月底前到村委会或通过手机缴纳。", (COUNTY,), "operator", "approver"),
    Planned(310, N, "春耕生产技术指导", "县农技中心将于下周到各镇开展小麦春季田间管理指导，请种植户按时参加。", (COUNTY,), "operator", "county_leader"),
    Planned(300, N, "西关村春季卫生大扫除", "本周六上午八点，西关村开展春季环境卫生整治，请各组村民清理房前屋后。", (XIGUAN,), "village_xiguan", "town_chengguan"),
    Planned(280, P, "森林防火期野外用火禁令", "即日起进入春季森林防火期，严禁野外烧荒、上坟烧纸和燃放孔明灯，违者依法处理。", (COUNTY,), "operator", "approver"),
    Planned(255, N, "防范电信网络诈骗", "凡是自称公检法要求转账的都是诈骗，凡是网上刷单的都是诈骗，遇到可疑情况请拨打96110。", (COUNTY,), "operator", "approver"),
    Planned(240, N, "天度村夏收用工信息", "天度村合作社招收夏收临时用工二十人，有意者请到村委会登记。", (TIANDU_VILLAGE,), "village_tiandu", "town_tiandu"),
    Planned(225, P, "夏粮收购政策", "今年小麦最低收购价每斤一元一角九分，请种植户到指定粮站交售，不要卖给无证商贩。", (COUNTY,), "operator", "approver"),
    Planned(205, N, "防溺水安全提示", "暑期来临，请家长看管好孩子，不到河道、水库、池塘游泳戏水。", (COUNTY,), "operator", "approver"),
    Planned(196, MessageKind.FLOOD, "渭河洪水预警", "受上游强降雨影响，渭河天度段水位持续上涨，预计今晚超过警戒水位。请沿河各组群众立即向高处转移，不要靠近河道。", (TIANDU,), "operator", "approver"),
    Planned(170, N, "西关村党员大会通知", "西关村定于本月十五日上午九点在村委会召开党员大会，请全体党员准时参加。", (XIGUAN,), "village_xiguan", "town_chengguan"),
    Planned(150, P, "秋收秸秆禁烧通知", "秋收期间严禁焚烧秸秆，请将秸秆粉碎还田或交由合作社统一回收。", (COUNTY,), "operator", "county_leader"),
    Planned(131, MessageKind.FIRE, "西关村火情通报", "西关村三组一处麦草垛起火，消防车正在赶来。请附近群众远离火场，关闭燃气，不要围观。", (XIGUAN,), "village_xiguan", "town_chengguan"),
    Planned(120, N, "天度村养老认证提醒", "领取城乡居民养老金的老人请于本月内完成年度资格认证，行动不便的可由网格员上门办理。", (TIANDU_VILLAGE,), "village_tiandu", "town_tiandu"),
    Planned(100, P, "征兵工作通知", "2027年征兵报名开始，符合条件的适龄青年请登录全国征兵网报名，或到镇武装部咨询。", (COUNTY,), "operator", "approver"),
    Planned(80, N, "冬季取暖安全提示", "冬季用煤炉取暖务必安装烟囱、保持通风，谨防一氧化碳中毒。", (COUNTY,), "operator", "approver"),
    Planned(62, MessageKind.EPIDEMIC, "流感防控提示", "近期流感进入高发期，请群众勤洗手、常通风，出现发热症状及时到村卫生室就诊，老人和儿童尽快接种疫苗。", (COUNTY,), "operator", "county_leader"),
    Planned(45, P, "农村低保年审通知", "农村低保对象年度复核开始，请低保户于本月底前携带户口本和身份证到村委会登记。", (COUNTY,), "operator", "approver"),
    Planned(30, N, "天度村冬季灌溉安排", "天度村冬灌从下周一开始，按一组至五组顺序进行，请各户提前平整地块。", (TIANDU_VILLAGE,), "village_tiandu", "town_tiandu"),
    Planned(14, N, "垃圾分类宣传", "从下月起各村推行垃圾分类，可回收物、有害垃圾请投放到指定收集点。", (COUNTY,), "operator", "approver"),
    # Still waiting, so the demo's people have something to do.
    Planned(9, N, "西关村自来水停水通知", "因管道维修，西关村明日上午停水，请各户提前储水。", (XIGUAN,), "village_xiguan", "town_chengguan", State.CANCELLED, "维修推迟，另行通知"),
    Planned(5, P, "医保政策调整通知", "明年起门诊统筹报销比例提高，具体办法见村务公开栏。", (COUNTY,), "operator", "approver", State.REJECTED, "报销比例请与医保局核对后再发"),
    Planned(1, N, "元旦假期安全提示", "元旦假期将至，请群众注意防火防盗，外出返乡注意交通安全。", (COUNTY,), "operator", "approver", State.SUBMITTED),
    Planned(0, N, "冬季征兵体检通知", "报名参军的青年请于下周三到县人民医院参加体检。", (COUNTY,), "operator", "", State.DRAFT),
)  # fmt: skip

# The steps each ending went through after it was composed.
STEPS: dict[str, tuple[str, ...]] = {
    State.DRAFT: (),
    State.SUBMITTED: (Action.SUBMIT,),
    State.REJECTED: (Action.SUBMIT, Action.REJECT),
    State.CANCELLED: (Action.SUBMIT, Action.APPROVE, Action.CANCEL),
    State.COMPLETED: (Action.SUBMIT, Action.APPROVE, Action.DISPATCH, Action.COMPLETE),
}


def create_broadcasts(build: DemoBuild, now: datetime | None = None) -> None:
    rng = build.rng
    now = now or timezone.now()
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[a["username"] for a in logins.DEMO_ACCOUNTS])
    }
    events: list[BroadcastEvent] = []
    deliveries: list[Delivery] = []
    for planned in PLAN:
        created = (now - timedelta(days=planned.days_ago)).replace(
            hour=8 + int(rng.integers(0, 9)), minute=int(rng.integers(0, 60)), second=0
        )
        if created > now:
            created = now - timedelta(minutes=30)
        emergency = planned.kind in EMERGENCY
        severity, urgency, certainty = EMERGENCY.get(planned.kind, ROUTINE)
        composer = users[planned.composer]
        message = Broadcast(
            title=planned.title,
            text=planned.text,
            kind=planned.kind,
            severity=severity,
            urgency=urgency,
            certainty=certainty,
            target_codes=list(planned.targets),
            repeats=3 if emergency else 2,
            expires_at=created + (timedelta(hours=12) if emergency else timedelta(days=3)),
            state=planned.state,
            composer=composer,
            author_ids=[composer.pk],
            created_at=created,
            updated_at=created,
        )
        message.set_region_code(scope_code(list(planned.targets)))
        # Emergencies are approved within minutes; routine notices within the day.
        pace = timedelta(minutes=int(rng.integers(3, 12) if emergency else rng.integers(30, 300)))
        timeline: list[tuple[str, str, str, datetime, User | None, str]] = [
            ("compose", "", State.DRAFT, created, composer, "")
        ]
        state, moment = State.DRAFT, created + timedelta(minutes=int(rng.integers(2, 15)))
        for action in STEPS[planned.state]:
            actor: User | None = composer
            note = ""
            if action in (Action.APPROVE, Action.REJECT):
                actor, moment = users[planned.approver], moment + pace
                note = planned.note if action == Action.REJECT else ""
            elif action == Action.CANCEL:
                note = planned.note
                moment += timedelta(hours=2)
            elif action in (Action.DISPATCH, Action.COMPLETE):
                actor = None
            after = next_state(action, state) or state
            if action == Action.COMPLETE:
                moment = message.expires_at
            timeline.append((action, state, after, moment, actor, note))
            state = after
            if action == Action.SUBMIT:
                message.submitted_at = moment
            elif action == Action.APPROVE:
                message.approved_by, message.approved_at = actor, moment
                message.approved_revision = 1
            elif action == Action.DISPATCH:
                message.dispatched_at = moment
            elif action == Action.COMPLETE:
                message.completed_at = moment
            elif action == Action.CANCEL:
                message.cancelled_at = moment
            message.updated_at = moment
        message.save()
        events += [
            BroadcastEvent(
                broadcast=message,
                created_at=at,
                actor=actor,
                action=action,
                from_state=before,
                to_state=after,
                revision=1,
                note=note,
            )
            for action, before, after, at, actor, note in timeline
        ]
        if message.dispatched_at is not None:
            deliveries += _deliveries(build, message, message.dispatched_at)
    BroadcastEvent.objects.bulk_create(events, batch_size=1_000)
    Delivery.objects.bulk_create(deliveries, batch_size=1_000)
    build.summary.broadcasts = len(PLAN)
    build.summary.broadcast_deliveries = len(deliveries)


def _deliveries(build: DemoBuild, message: Broadcast, sent: datetime) -> list[Delivery]:
    """Every terminal of the target's answer, as the listener would have recorded it."""
    rng = build.rng
    rows = []
    terminals = (
        Terminal.objects.filter(jurisdiction_q(minimal_cover(message.target_codes)))
        .order_by("id")
        .values_list("id", "code", "village_code", "region_code", "status")
    )
    for pk, code, village, region, status in terminals:
        nonce = secrets.token_hex(16)
        payload = signed_delivery(
            broadcast=message, terminal_code=code, nonce=nonce, issued_at=sent
        ).decode("utf-8")
        row = Delivery(
            broadcast=message,
            terminal_id=pk,
            place_code=village or region,
            nonce=nonce,
            payload=payload,
            created_at=sent,
            attempts=1,
            last_attempt_at=sent,
        )
        answered = sent + timedelta(seconds=float(rng.uniform(0.5, 6.0)))
        if status == TerminalStatus.OFFLINE:
            row.status, row.failed_at, row.detail = DeliveryStatus.FAILED, sent, OFFLINE_DETAIL
        elif status == TerminalStatus.FAULTY:
            row.status, row.sent_at = DeliveryStatus.FAILED, sent
            row.received_at, row.failed_at, row.detail = answered, answered, FAULT_DETAIL
        elif rng.random() < UNANSWERED_SHARE:
            row.status, row.sent_at = DeliveryStatus.FAILED, sent
            row.failed_at, row.detail = message.expires_at, EXPIRED_DETAIL
        else:
            row.status, row.sent_at, row.received_at = DeliveryStatus.PLAYED, sent, answered
            row.played_at = answered + timedelta(seconds=float(rng.uniform(5, 40)))
        rows.append(row)
    return rows
