#!/bin/sh
# The demo's requests of 2016: eight disclosure requests as a township
# records them (paper requests entered with `case record`), handled with
# the case commands, for `xxgk-server report --year 2016`.
#   examples/requests-2016/build.sh SERVER DATABASE
# The database is made afresh.
set -eu
server=$1
db=$2
here=$(dirname "$0")
rm -f "$db" "$db-wal" "$db-shm"

# Records the request in FILE, received on DATE; prints its lookup code.
record() {
  "$server" case record "$here/$1" --on "$2" --new-database --db "$db" | sed -n '1s/：.*//p'
}
# Runs a case command on CODE with the rest of the arguments.
act() {
  what=$1 code=$2
  shift 2
  "$server" case "$what" "$code" --db "$db" "$@" > /dev/null
}
# Decides CODE on DATE with OUTCOME, the reply text on standard input.
decide() {
  "$server" case decide "$1" --on "$2" --outcome "$3" --text-file - --db "$db" > /dev/null
}

a=$(record a-person-disclosed.json 2016-03-07)
echo '经查，现将东亭村2016年农村低保对象名单及保障金额提供给您，请于工作日到乡党政办领取。' | decide "$a" 2016-03-25 disclosed

b=$(record b-person-partly.json 2016-04-11)
echo '预算书见附件；验收报告中施工单位的商业信息已作区分处理。' | decide "$b" 2016-04-28 partly
act review "$b" --on 2016-06-01 --type reconsideration
act reviewed "$b" --on 2016-08-01 --type reconsideration --result upheld

c=$(record c-business-refused.json 2016-05-16)
act consult "$c" --on 2016-05-18
act consulted "$c" --on 2016-06-01
echo '其他投标人的报价属于其商业秘密，经征求意见，第三方不同意公开，依第十五条不予公开。' | decide "$c" 2016-06-08 refused-4

d=$(record d-person-unavailable.json 2016-06-20)
echo '经查，本机关不掌握该规划，建议向广德县水务局申请。' | decide "$d" 2016-07-05 unavailable-1

e=$(record e-person-not-clarified.json 2016-08-08)
echo '您申请的“乡里今年的文件”内容不明确，请于15个工作日内写明所需文件的名称、文号或内容。' \
  | "$server" case clarify "$e" --on 2016-08-10 --days 15 --text-file - --db "$db" > /dev/null
echo '您未在补正期限内补正，本机关不再处理该申请。' | decide "$e" 2016-09-05 other-1

f=$(record f-law-firm-extended.json 2016-09-26)
echo '因需调取县政府批复档案，经党政办负责人批准，答复期限延长20个工作日。' \
  | "$server" case extend "$f" --on 2016-10-20 --approved-by 党政办主任 --text-file - --db "$db" > /dev/null
echo '现将补偿安置方案及县政府批复提供给你所。' | decide "$f" 2016-11-10 disclosed

g=$(record g-person-not-processed.json 2016-10-17)
echo '您的申请与3月7日的申请内容相同，本机关已答复，不再重复处理。' | decide "$g" 2016-10-25 not-processed-2

h=$(record h-person-carried-forward.json 2016-12-19)
# Decided in 2017: carried forward in 2016's report.
echo '现将东亭乡2016年“三公”经费支出明细发送至您的邮箱。' | decide "$h" 2017-01-10 disclosed
