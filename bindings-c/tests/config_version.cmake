# Evaluates an installed timadminConfigVersion.cmake as find_package(timadmin VERSION) would:
#   cmake -DPACKAGE_FIND_VERSION=0.2 -DFILE=.../timadminConfigVersion.cmake -P config_version.cmake
# prints TRUE or FALSE (PACKAGE_VERSION_COMPATIBLE). Used by bindings-c/test.sh.
string(REPLACE "." ";" _parts "${PACKAGE_FIND_VERSION}")
list(GET _parts 0 PACKAGE_FIND_VERSION_MAJOR)
list(LENGTH _parts _n)
if(_n GREATER 1)
  list(GET _parts 1 PACKAGE_FIND_VERSION_MINOR)
else()
  set(PACKAGE_FIND_VERSION_MINOR 0)
endif()
include("${FILE}")
if(PACKAGE_VERSION_COMPATIBLE)
  message("TRUE")
else()
  message("FALSE")
endif()
