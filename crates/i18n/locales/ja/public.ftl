# Upstate の公開ページ（日本語）。メッセージ ID は en/public.ftl と同じです。

## How numbers and dates are written

number-decimal-separator = .
month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月
date-day = { $year }年{ $month }{ $day }日
date-month = { $year }年{ $month }
date-time-utc = { $date } { $time } UTC

## Times in words

time-just-now = たった今
time-minutes-ago = { $count }分前
time-hours-ago = { $count }時間前
time-yesterday = 昨日
time-days-ago = { $count }日前
duration-minutes = { $minutes }分
duration-hours = { $hours }時間{ $minutes }分
duration-days = { $days }日{ $hours }時間

## Statuses, always shown with an icon beside them

service-status-operational = 正常
service-status-degraded-performance = パフォーマンス低下
service-status-partial-outage = 部分的な障害
service-status-major-outage = 重大な障害
service-status-under-maintenance = メンテナンス中
incident-status-investigating = 調査中
incident-status-identified = 原因特定
incident-status-monitoring = 経過観察中
incident-status-resolved = 解決済み
impact-none = なし
impact-minor = 軽微
impact-major = 重大
impact-critical = 致命的
maintenance-status-scheduled = 予定
maintenance-status-in-progress = 実施中
maintenance-status-completed = 完了
maintenance-status-cancelled = 中止
indicator-none = すべてのシステムが正常に稼働しています
indicator-minor = 軽微なサービス障害が発生しています
indicator-major = 一部のシステムで障害が発生しています
indicator-critical = 重大なシステム障害が発生しています
indicator-maintenance = 予定メンテナンスを実施中です

## The status page

status-page-title = { $state } · { $page } のステータス
services-heading = サービス
open-incidents-heading = 対応中のインシデント
maintenance-heading = メンテナンス
maintenance-affects = 対象: { $services }
past-incidents-heading = 過去のインシデント
no-incidents = 報告されたインシデントはありません。
older-incidents = さらに古いインシデント
uptime-bars-label = 過去 90 日間の稼働率
uptime-percent = 稼働率 { $percent }%
uptime-no-data = まだデータがありません
uptime-day-no-data = データなし
uptime-bar-day = { $day }: { $status }
uptime-bar-days = { $first }～{ $last }: { $status }（{ $count }日間）
uptime-bar-down = 、停止 { $hours }時間{ $minutes }分
subscribe-open = 更新情報を購読
subscribe-heading = 更新情報を購読
subscribe-intro = インシデントやメンテナンスが投稿されたときにメールでお知らせします。最初に確認用のリンクをお送りします。
subscribe-email = メールアドレス
subscribe-submit = 購読する
subscribe-cancel = キャンセル
subscribe-more = 一部のサービスのみ、または Webhook
live-live = ● ライブ
live-connecting = ○ 接続中…
live-reconnecting = ○ 再接続中…
announce-new-incident = 新しいインシデント: { $title }
language-label = 言語

## An incident's page

incident-page-title = { $incident } · { $page } のステータス
incident-lasted = 継続時間: { $duration }
incident-ongoing-since = { $since } から継続中
affected-services-heading = 影響を受けたサービス
timeline-heading = タイムライン
postmortem-heading = 事後分析

## Shared by the pages

incident-meta = 影響度: { $impact } · { $status }
about-service = { $service } について
back-to-status = ← { $page } のステータス
announce-service = { $service } は現在「{ $status }」です
status-page-description = { $state }。{ $page } のリアルタイムのステータスです。
incident-page-description = 影響度: { $impact } · { $status }。{ $page } のステータスページのインシデントです。
missing-page-heading = ステータスページが見つかりません
missing-page-text = 「{ $slug }」という組織はありません。
missing-incident-heading = インシデントが見つかりません
missing-incident-text = このステータスページのこのアドレスにはインシデントがありません。
go-to-start = トップページへ
brand-links-label = 組織
home-link = ホームページ
support-link = サポート

## The history

history-page-title = インシデント履歴 · { $page } のステータス
history-heading = インシデント履歴
history-link = 月別のインシデント履歴
history-empty-month = 報告されたインシデントやメンテナンスはありません。
history-maintenance-meta = メンテナンス · { $status }
history-newer = ← 新しい履歴
history-older = 古い履歴 →
history-pages-label = 履歴のページ
history-service = サービス
history-all-services = すべてのサービス
history-show = 表示
history-span = { $first }～{ $last }
history-description = { $page } の過去のインシデントとメンテナンス: { $span } のインシデント { $count } 件。
missing-history-heading = 履歴のこのページはありません
