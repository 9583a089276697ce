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

## Subscriptions: the subscribe form and a subscription's own pages (confirm, manage, unsubscribe)

sub-page-title = { $page } を購読
sub-heading = { $page } のステータス更新を受け取る
sub-intro = インシデントやメンテナンスの情報を発生時にお届けします。最初に確認のメールをお送りします。すべてのメッセージに購読解除のリンクが付いています。
sub-webhook-label = または Webhook の URL（任意: メッセージは署名付きでそこに送られます。上のアドレスで購読を確認し、失敗が続いたときはそのアドレスにお知らせします）
sub-services-legend = 次のサービスのみ（チェックなし: すべて）
sub-email-invalid = 有効なメールアドレスを入力してください。
sub-webhook-invalid = このサーバーから送信できるウェブアドレス（https://…）を入力してください。
sub-services-invalid = このページのサービスから選んでください。
sub-back = ステータスページに戻る
sub-back-to = { $page } のステータスページに戻る
sub-inbox-heading = 受信トレイを確認してください
sub-accepted = 受信トレイを確認してください。お送りしたメールのリンクを開くと購読が確定します。確定するまでは何も送信されません。
sub-confirm-heading = { $page } の購読を確定する
sub-confirm-text = { $channel ->
    [webhook] { $page } のインシデントとメンテナンスの情報を、Webhook で { $address } に受け取るよう申し込まれました。
   *[email] { $page } のインシデントとメンテナンスの情報を、メールで { $address } に受け取るよう申し込まれました。
}
sub-confirm-button = 購読を確定する
sub-confirmed-heading = 購読が完了しました
sub-confirmed-text = { $channel ->
    [webhook] { $page } のインシデントとメンテナンスの情報を、Webhook で { $address } にお届けします。
   *[email] { $page } のインシデントとメンテナンスの情報を、メールで { $address } にお届けします。
}
sub-webhook-secret = Webhook の署名シークレットです（表示されるのは今回だけです）。Standard Webhooks の方式に従い、各リクエストにはこれを使った HMAC-SHA256 が { $header } として付きます:
sub-manage-link = サービスを選ぶ・購読を解除する
sub-manage-heading = { $page } の購読
sub-manage-text = { $channel ->
    [webhook] インシデントとメンテナンスの情報を、Webhook で { $address } に受け取っています。
   *[email] インシデントとメンテナンスの情報を、メールで { $address } に受け取っています。
}
sub-save = 保存
sub-saved = 保存しました。
sub-unsubscribe-button = 購読を解除
sub-unsubscribe-heading = { $page } の購読を解除
sub-unsubscribe-text = { $channel ->
    [webhook] { $page } のインシデントとメンテナンスの情報は、今後 Webhook で { $address } に送られなくなります。
   *[email] { $page } のインシデントとメンテナンスの情報は、今後メールで { $address } に送られなくなります。
}
sub-unsubscribed-heading = 購読を解除しました
sub-unsubscribed-text = 今後は何も送信されません。
sub-invalid-link-heading = このリンクは無効になっています
sub-invalid-link-text = 対象の購読が終了しているか、リンクが途中で切れています。
sub-too-many-heading = リクエストが多すぎます
sub-too-many-text = しばらく待ってから、もう一度お試しください。
sub-failed-heading = 問題が発生しました

## Private pages: what a visitor who may not see a page reads (nothing of the page itself)

private-heading = このステータスページは非公開です
private-members-text = この組織はメンバーにのみ公開しています。
private-sign-in-text = この組織はメンバーにのみ公開しています。表示するにはサインインしてください。
private-sign-in = サインイン
private-not-member-text = この組織はメンバーにのみ公開しており、お使いのアカウントはメンバーではありません。
private-address-text = 現在お使いのネットワークからは表示できません。
private-password-heading = このステータスページにはパスワードが必要です
private-password-text = パスワードは、組織から閲覧対象の方にお伝えしています。
private-password-label = パスワード
private-password-submit = ページを開く
private-password-wrong = パスワードが正しくありません。確認して、もう一度お試しください。
private-password-empty = ページのパスワードを入力してください。
private-password-too-many = お使いのアドレスからの試行回数が多すぎます。数分待ってから、もう一度お試しください。

## Mails to subscribers (the incident's title and message and the page's name stay as written)

mail-event-incident-created = 新しいインシデント
mail-event-incident-updated = インシデントの更新
mail-event-incident-resolved = インシデントの解決
mail-event-maintenance-scheduled = メンテナンスの予定
mail-event-maintenance-reminder = まもなくメンテナンス
mail-event-maintenance-started = メンテナンス開始
mail-event-maintenance-completed = メンテナンス完了
mail-event-monitor-failing = モニター異常
mail-event-monitor-recovered = モニター復旧
mail-posted = 投稿日時: { $at }
mail-window-day = 日時: { $day } { $start }～{ $end } UTC
mail-window-days = 日時: { $start }～{ $end }
mail-affected = 対象: { $services }
mail-view = ステータスページで見る
mail-why = このメールは、{ $page } のステータス更新を購読しているためお送りしています。
mail-manage = 購読の管理
mail-unsubscribe = 購読を解除
mail-confirm-subject = { $page } のステータス更新の購読を確定してください
mail-confirm-all = すべてのインシデントとメンテナンス
mail-confirm-some = { $services } のインシデントとメンテナンス
mail-confirm-by-email = このアドレスへのメールで
mail-confirm-by-webhook = { $url } への Webhook で（失敗が続いたときはこのアドレスにお知らせします）
mail-confirm-asked = { $page } のステータスページで、{ $what } の情報を{ $how }受け取るお申し込みがありました。
mail-confirm-open = 確定するには、次のリンクを開いてください:
mail-confirm-ignore = 確定されるまでは何も送信されません。お心当たりがない場合は、このメールを無視してください。何も送信されません。
mail-disabled-subject = { $page } のステータスページの Webhook を無効にしました
mail-disabled-text = Webhook { $webhook } で失敗が続いたため、{ $page } のステータスページは { $count } 回連続で失敗した時点で送信を停止しました。
mail-disabled-last = 最後の失敗: { $error }
mail-disabled-again = 再び動作するようになったら、ステータスページからもう一度購読してください（チームの連携の場合は、ダッシュボードで有効にしてください）。
