#!/bin/sh
# One backup of the live database into $BLI_BACKUP_DIR, named by the time,
# then the oldest removed so that $BLI_BACKUP_KEEP remain. Run by
# bli-involvert-backup.service; works by hand as well:
#   BLI_BIN=target/release/bli-involvert BLI_DATABASE=data/bli-involvert.db \
#   BLI_BACKUP_DIR=backups BLI_BACKUP_KEEP=3 deploy/backup.sh
set -eu
bin=${BLI_BIN:-/opt/bli-involvert/bin/bli-involvert}
dir=${BLI_BACKUP_DIR:?set BLI_BACKUP_DIR}
keep=${BLI_BACKUP_KEEP:-14}
case $keep in ''|*[!0-9]*|0) echo "BLI_BACKUP_KEEP must be a whole number above 0" >&2; exit 2 ;; esac
umask 077
mkdir -p "$dir"
name="$dir/bli-involvert-$(date -u +%Y-%m-%dT%H%M%S.%3NZ).db"
"$bin" backup --to "$name"
# Newest first; everything after the first $keep goes. Only our own names.
ls -1t "$dir" | grep -E '^bli-involvert-[0-9TZ.-]+\.db$' | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f -- "$dir/$old"
  echo "removed old backup $old"
done
