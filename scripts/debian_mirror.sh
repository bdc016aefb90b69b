# Sourced by the scripts that fetch Debian packages for the live tests' Podman 5 and 6.
# detect_mirror prints the Debian mirror apt already uses on this machine: only real
# lines (a commented snapshot URL would not serve newer suites), never a -security one.
detect_mirror() {
  local uri
  uri=$(grep -hsE '^[[:space:]]*(deb[[:space:]]|URIs:)' /etc/apt/sources.list \
    /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources |
    grep -oE 'https?://[^ ]+/debian/?' | grep -v -- '-security' | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}" | sed 's#/*$##'
}
